"""Regenerates edt-scipy.json: scipy.ndimage.distance_transform_edt of every mask the distance-based losses
derive from the golden targets (per image: t>0, t==0, t==c and t!=c for every class c), deduplicated.

Run from the repository root: python3 src/ops/__fixtures__/make-edt-fixture.py [path/to/shared/golden]
Squared distances are stored as exact integers (EDT² is an integer sum of squares); the test compares
sqrt(d2) with our float64 EDT. All-true masks carry SciPy's (-1, 0) virtual-background artifact (SPEC §1.1).
"""
import json
import sys

import numpy as np
import scipy
import scipy.ndimage as nd

golden = sys.argv[1] if len(sys.argv) > 1 else '../shared/golden'
files = ['distance-map-ce', 'boundary-loss', 'hausdorff-distance', 'region-wise', 'boundary-aware',
         'active-boundary', 'boundary-dou', 'region-mutual-information']
seen = {}
for f in files:
    data = json.load(open(f'{golden}/{f}.json'))
    for case in data['cases']:
        n_, h, w, c = case['shape']
        t = np.array(case['target']).reshape(n_, h, w)
        for n in range(n_):
            for m in [t[n] > 0, t[n] == 0] + [t[n] == k for k in range(c)] + [t[n] != k for k in range(c)]:
                key = (h, w, m.tobytes())
                if key not in seen:
                    seen[key] = {'source': f'{f}/{case["id"]}', 'h': h, 'w': w,
                                 'mask': ''.join('1' if v else '0' for v in m.ravel())}
out = []
for (h, w, _), entry in seen.items():
    m = np.array([ch == '1' for ch in entry['mask']]).reshape(h, w)
    d = nd.distance_transform_edt(m)
    d2 = np.rint(d * d).astype(np.int64)
    assert np.array_equal(np.sqrt(d2.astype(np.float64)), d), 'EDT is not sqrt of an integer'
    entry['d2'] = ','.join(str(v) for v in d2.ravel())
    out.append(entry)
json.dump({'scipy': scipy.__version__, 'masks': out}, open('src/ops/__fixtures__/edt-scipy.json', 'w'))
print(len(out), 'masks')
