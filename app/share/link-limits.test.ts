// Hostile and oversized share links (issue 14 §2–§3): refused before any large allocation, with a message that
// says why and quotes user text only in part.
import { describe, expect, it } from 'vitest';
import { exampleMasks } from '../editing/example';
import { defaultSettings } from '../store/settings';
import { deflateRaw, InflateLimitError, inflateRaw, toBase64Url } from './bytes';
import { decodeShareHash, encodeShareHash, MAX_LINK_SIDE, type ShareState } from './link';
import { encodeLabelRuns } from './masks-codec';

const opts = { numClasses: 2 };

function state(): ShareState {
  const st = defaultSettings();
  return {
    focusedLoss: 'dice',
    params: {},
    gridSize: 64,
    disabled: [],
    heatmapMode: st.heatmapMode,
    heatmapClass: 1,
    multiples: [],
    masks: exampleMasks(64),
  };
}

function withKey(hash: string, key: string, value: string | null): string {
  const q = new URLSearchParams(hash.slice(1));
  if (value === null) q.delete(key);
  else q.set(key, value);
  return `#${q.toString()}`;
}

describe('share link limits', () => {
  it('inflates up to the limit and stops reading past it', async () => {
    const zeros = await deflateRaw(new Uint8Array(1 << 20));
    expect(zeros.length).toBeLessThan(2000); // 1 MiB of zeros packs into about a kilobyte
    expect((await inflateRaw(zeros, 1 << 20)).length).toBe(1 << 20);
    await expect(inflateRaw(zeros, 4096)).rejects.toBeInstanceOf(InflateLimitError);
  });

  it('refuses masks larger than the explorer computes on, before decoding them', async () => {
    expect(MAX_LINK_SIDE).toBe(512);
    const hash = await encodeShareHash(state());
    // The 1,469-character link of the issue held 1024×1024×2 masks; the size alone now refuses it.
    for (const size of ['1024x1024x2', '4096x4096x8', '513x64x2']) {
      await expect(decodeShareHash(withKey(withKey(hash, 'size', size), 'grid', '64'), opts)).rejects.toThrow(
        /at most 512 px a side/,
      );
    }
  });

  it('refuses a deflate bomb in the masks by the size the masks allow', async () => {
    const hash = await encodeShareHash(state());
    // 16 MiB of class-0 runs claiming to be a 64×64 ground truth: inflation stops at 4 bytes per pixel.
    const bomb = toBase64Url(await deflateRaw(new Uint8Array(16 << 20)));
    expect(bomb.length).toBeLessThan(40_000);
    await expect(decodeShareHash(withKey(hash, 'gt', bomb), opts)).rejects.toThrow(
      /ground truth data inflates to more than the 16384 bytes/,
    );
    const predBomb = toBase64Url(await deflateRaw(new Uint8Array(8 << 20)));
    await expect(decodeShareHash(withKey(hash, 'pred', predBomb), opts)).rejects.toThrow(
      /prediction data inflates to more than the 4096 bytes/,
    );
    // An honest ground truth still decodes.
    const runs = toBase64Url(await deflateRaw(encodeLabelRuns(exampleMasks(64).target)));
    expect((await decodeShareHash(withKey(hash, 'gt', runs), opts)).masks?.width).toBe(64);
  });

  it('names an unknown loss even when the link was cut off', async () => {
    const hash = await encodeShareHash(state());
    await expect(decodeShareHash(withKey(withKey(hash, 'end', null), 'loss', 'dice2'), opts)).rejects.toThrow(
      /unknown loss id 'dice2'/,
    );
  });

  it('quotes long user text only in part', async () => {
    const hash = await encodeShareHash(state());
    const huge = 'x'.repeat(1_000_000);
    for (const key of ['share', 'loss', 'grid']) {
      const err = await decodeShareHash(withKey(hash, key, huge), opts).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message.length).toBeLessThan(200);
      expect((err as Error).message).toMatch(/1000000 characters/);
    }
  });
});
