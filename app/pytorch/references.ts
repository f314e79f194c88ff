// For every loss: the PyTorch call of the reference implementation the explorer's value was checked against
// (../shared/golden/SPEC.md names each one), with the explorer's parameters translated to the reference's
// arguments. Where there is no PyTorch reference (Keras code, paper-only losses) the snippet is the same
// formula in a few lines of torch, and says so. `params` maps every parameter of the loss, one to one: to the
// reference argument that carries it, or to null with the reason it has none (explorer-only variants).
import type { LossId, ParamValue } from '../../src';
import { py } from './format';

type P = Record<string, ParamValue>;

export interface ReferenceCall {
  /** Where the code comes from (repository or package, file, symbol). */
  source: string;
  /** `pip install …` or `git clone …` line(s) that make the imports work. */
  install: string;
  imports: string[];
  /** Lines computing `loss` from `logits` [N, C, H, W] float and `target` [N, H, W] int64 (and `C`). */
  code(p: P): string[];
  /** Every explorer parameter → the reference argument that carries it, or null + why it has none. */
  params: Record<string, { arg: string } | { arg: null; why: string }>;
  /** Differences a user must know (parameterisation, reductions, reference bugs). */
  notes: string[];
}

const MONAI = 'pip install monai==1.3.* # checked against MONAI@d388d1c';
const SEGLOSS = 'git clone https://github.com/JunMa11/SegLoss  # @71b1490; run from SegLoss/';
const TORCH_ONLY = 'pip install torch';
const SCIPY = 'pip install torch scipy';

const same = (arg: string) => ({ arg });
const none = (why: string) => ({ arg: null, why });
const VARIANT = 'an explorer variant flag; the reference computes the default only';

/** `range(…)` of the selected classes in Python, for the ports that select channels. */
const firstClass = (p: P) => (p.includeBackground ? 0 : 1);

export const PYTORCH_REFERENCES: Record<LossId, ReferenceCall> = {
  'cross-entropy': {
    source: 'torch.nn.functional.cross_entropy (PyTorch 1.13)',
    install: TORCH_ONLY,
    imports: ['import torch.nn.functional as F'],
    code: (p) => [
      `weight = ${p.classWeights ? `torch.tensor(${py(p.classWeights)}, dtype=logits.dtype)` : 'None'}`,
      `loss = F.cross_entropy(logits, target, weight=weight, label_smoothing=${py(p.labelSmoothing)})`,
    ],
    params: { classWeights: same('weight'), labelSmoothing: same('label_smoothing') },
    notes: [
      'With both class weights and label smoothing, PyTorch normalises differently (no golden case combines them).',
    ],
  },
  topk: {
    source: 'JunMa11/SegLoss losses_pytorch/ND_Crossentropy.py::TopKLoss',
    install: SEGLOSS,
    imports: ['from losses_pytorch.ND_Crossentropy import TopKLoss'],
    code: (p) => [`loss = TopKLoss(k=${py(p.kPercent)})(logits, target.unsqueeze(1))`],
    params: { kPercent: same('k') },
    notes: ['The top k % of pixels are taken over the whole batch, not per image.'],
  },
  focal: {
    source: 'MONAI monai/losses/focal_loss.py::FocalLoss',
    install: MONAI,
    imports: ['from monai.losses import FocalLoss'],
    code: (p) => [
      `focal = FocalLoss(include_background=True, to_onehot_y=True, gamma=${py(p.gamma)}, alpha=${py(p.alpha)}, use_softmax=True, reduction='none')`,
      'loss = focal(logits, target.unsqueeze(1)).sum(1).mean()  # sum over classes, mean over pixels',
    ],
    params: { gamma: same('gamma'), alpha: same('alpha') },
    notes: ["MONAI's reduction='mean' also averages over the C classes: it returns this value divided by C."],
  },
  'distance-map-ce': {
    source:
      'JunMa11/SegLoss losses_pytorch/boundary_loss.py::compute_edts_forPenalizedLoss (+ DisPenalizedCE weighting)',
    install: SEGLOSS,
    imports: [
      'import torch.nn.functional as F',
      'from losses_pytorch.boundary_loss import compute_edts_forPenalizedLoss',
    ],
    code: (p) => [
      'phi = torch.from_numpy(compute_edts_forPenalizedLoss(target.numpy() > 0)).to(logits.dtype)',
      `loss = ((phi + ${py(p.weightOffset)}) * F.cross_entropy(logits, target, reduction='none')).mean()`,
    ],
    params: { weightOffset: same('the "+ 1.0" of DisPenalizedCE') },
    notes: [
      "SegLoss's DisPenalizedCE computes this weighted loss but returns plain CE (a bug): the weighting is written out here.",
    ],
  },
  dice: {
    source: 'MONAI monai/losses/dice.py::DiceLoss',
    install: MONAI,
    imports: ['from monai.losses import DiceLoss'],
    code: (p) => [
      `dice = DiceLoss(include_background=${py(p.includeBackground)}, to_onehot_y=True, softmax=True, squared_pred=${py(p.squaredPred)}, smooth_nr=${py(p.smoothNr)}, smooth_dr=${py(p.smoothDr)}, batch=${py(p.batch)})`,
      'loss = dice(logits, target.unsqueeze(1))',
    ],
    params: {
      includeBackground: same('include_background'),
      squaredPred: same('squared_pred'),
      smoothNr: same('smooth_nr'),
      smoothDr: same('smooth_dr'),
      batch: same('batch'),
    },
    notes: [],
  },
  'log-cosh-dice': {
    source: 'port of shruti-jadon/Semantic-Segmentation-Loss-Functions loss_functions.py::log_cosh_dice_loss (Keras)',
    install: TORCH_ONLY,
    imports: ['import torch.nn.functional as F'],
    code: (p) => [
      `p = logits.softmax(1)[:, ${firstClass(p)}:]`,
      `y = F.one_hot(target, C).permute(0, 3, 1, 2).to(p.dtype)[:, ${firstClass(p)}:]`,
      `d = (2 * (p * y).sum() + ${py(p.smooth)}) / (p.sum() + y.sum() + ${py(p.smooth)})  # one global Dice`,
      'loss = torch.log(torch.cosh(1 - d))',
    ],
    params: { smooth: same('smooth'), includeBackground: same('the channels flattened (1: from class 1)') },
    notes: ['The reference is Keras code; these lines are the same formula in torch.'],
  },
  'generalised-wasserstein-dice': {
    source: 'LucasFidon/GeneralizedWassersteinDiceLoss generalized_wasserstein_dice_loss/loss.py',
    install: 'pip install git+https://github.com/LucasFidon/GeneralizedWassersteinDiceLoss.git  # @4aa35ab',
    imports: [
      'import numpy as np',
      'from generalized_wasserstein_dice_loss.loss import GeneralizedWassersteinDiceLoss',
    ],
    code: (p) => [
      `M = ${p.distMatrix ? `np.array(${py(p.distMatrix)})` : 'np.ones((C, C)) - np.eye(C)  # all classes equidistant'}`,
      `loss = GeneralizedWassersteinDiceLoss(dist_matrix=M, weighting_mode=${py(p.weightingMode)})(logits, target)`,
    ],
    params: { distMatrix: same('dist_matrix'), weightingMode: same('weighting_mode') },
    notes: ["MONAI's port mixes the images of a batch (checked): use the author's code for N > 1."],
  },
  iou: {
    source: 'MONAI monai/losses/dice.py::DiceLoss(jaccard=True)',
    install: MONAI,
    imports: ['from monai.losses import DiceLoss'],
    code: (p) => [
      `iou = DiceLoss(jaccard=True, include_background=${py(p.includeBackground)}, to_onehot_y=True, softmax=True, squared_pred=${py(p.squaredPred)}, smooth_nr=${py(p.smoothNr)}, smooth_dr=${py(p.smoothDr)}, batch=${py(p.batch)})`,
      'loss = iou(logits, target.unsqueeze(1))',
    ],
    params: {
      includeBackground: same('include_background'),
      squaredPred: same('squared_pred'),
      smoothNr: same('smooth_nr'),
      smoothDr: same('smooth_dr'),
      batch: same('batch'),
    },
    notes: ['SegLoss IoULoss with smoothing s/2 gives 1 − this value at smoothing s.'],
  },
  'lovasz-softmax': {
    source: 'bermanmaxim/LovaszSoftmax pytorch/lovasz_losses.py::lovasz_softmax',
    install: 'git clone https://github.com/bermanmaxim/LovaszSoftmax  # @7d48792; add pytorch/ to sys.path',
    imports: ['from lovasz_losses import lovasz_softmax'],
    code: (p) => [
      `loss = lovasz_softmax(logits.softmax(1), target, classes=${py(p.classes)}, per_image=${py(p.perImage)})`,
    ],
    params: { classes: same('classes'), perImage: same('per_image') },
    notes: ['kornia.losses.lovasz_softmax_loss differs (it is wrong for C > 2).'],
  },
  tversky: {
    source: 'MONAI monai/losses/tversky.py::TverskyLoss',
    install: MONAI,
    imports: ['from monai.losses import TverskyLoss'],
    code: (p) => {
      const [fp, fn] = p.alphaOn === 'FN' ? [p.beta, p.alpha] : [p.alpha, p.beta];
      return [
        `tversky = TverskyLoss(include_background=${py(p.includeBackground)}, to_onehot_y=True, softmax=True, alpha=${py(fp)}, beta=${py(fn)}, smooth_nr=${py(p.smoothNr)}, smooth_dr=${py(p.smoothDr)}, batch=${py(p.batch)})`,
        'loss = tversky(logits, target.unsqueeze(1))',
      ];
    },
    params: {
      alpha: same('alpha (the FP weight)'),
      beta: same('beta (the FN weight)'),
      includeBackground: same('include_background'),
      smoothNr: same('smooth_nr'),
      smoothDr: same('smooth_dr'),
      batch: same('batch'),
      alphaOn: same('swaps alpha and beta (MONAI: alpha always weighs FP)'),
    },
    notes: ["The survey's eq. 14 puts α on FN; MONAI and the explorer's default put it on FP."],
  },
  'focal-tversky': {
    source: 'port of nabsabraham/focal-tversky-unet losses.py::focal_tversky (Keras)',
    install: TORCH_ONLY,
    imports: ['import torch.nn.functional as F'],
    code: (p) => {
      const [fp, fn] = p.alphaOn === 'FN' ? [p.beta, p.alpha] : [p.alpha, p.beta];
      const exp = p.gammaConvention === 'reciprocal' ? `1 / ${py(p.gamma)}` : py(p.gamma);
      return [
        `p = logits.softmax(1)[:, ${firstClass(p)}:]`,
        `y = F.one_hot(target, C).permute(0, 3, 1, 2).to(p.dtype)[:, ${firstClass(p)}:]`,
        'tp, fp, fn = (p * y).sum(), (p * (1 - y)).sum(), ((1 - p) * y).sum()  # one global index',
        `ti = (tp + ${py(p.smooth)}) / (tp + ${py(fn)} * fn + ${py(fp)} * fp + ${py(p.smooth)})`,
        `loss = (1 - ti) ** (${exp})`,
      ];
    },
    params: {
      alpha: same('FP weight (the official code: 1 − its alpha)'),
      beta: same('FN weight (the official code: its alpha = 0.7)'),
      gamma: same('gamma'),
      smooth: same('smooth'),
      includeBackground: same('the channels flattened'),
      gammaConvention: same('the exponent: gamma, or 1/gamma as the survey writes it'),
      reduction: none(`${VARIANT} (global index)`),
      alphaOn: same('swaps the FP and FN weights'),
    },
    notes: ['The reference is Keras code; these lines are the same formula in torch (reduction "global" only).'],
  },
  'sensitivity-specificity': {
    source: 'JunMa11/SegLoss losses_pytorch/dice_loss.py::SSLoss',
    install: SEGLOSS,
    imports: ['from losses_pytorch.dice_loss import SSLoss', 'from nnunet.utilities.nd_softmax import softmax_helper'],
    code: (p) => [
      `ss = SSLoss(apply_nonlin=softmax_helper, batch_dice=${py(p.batch)}, do_bg=${py(p.includeBackground)}, smooth=${py(p.smooth)})`,
      `ss.r = ${py(p.r)}  # hard-coded 0.1 in SegLoss`,
      'loss = ss(logits, target.unsqueeze(1))',
    ],
    params: {
      r: same('r (attribute)'),
      smooth: same('smooth'),
      includeBackground: same('do_bg'),
      batch: same('batch_dice'),
    },
    notes: ["SegLoss calls the first term 'specificity_part'; it is Brosch's sensitivity term."],
  },
  'region-mutual-information': {
    source: 'ZJULearning/RMI losses/rmi/rmi.py::RMILoss.forward_softmax_sigmoid (sigmoid → softmax)',
    install: 'git clone https://github.com/ZJULearning/RMI  # @10a40cd',
    imports: ['from losses.rmi.rmi import RMILoss'],
    code: (p) => [
      `rmi = RMILoss(num_classes=C, rmi_radius=${py(p.rmiRadius)}, rmi_pool_way=${py(p.rmiPoolWay)}, rmi_pool_size=${py(p.rmiPoolSize)}, rmi_pool_stride=${py(p.rmiPoolSize)}, loss_weight_lambda=${py(p.weightLambda)}, lambda_way=${py(p.lambdaWay)})`,
      '# forward_softmax_sigmoid with its F.sigmoid(logits) replaced by logits.softmax(1), as the explorer does:',
      'loss = rmi.forward_softmax_sigmoid(logits, target)',
    ],
    params: {
      rmiRadius: same('rmi_radius'),
      rmiPoolWay: same('rmi_pool_way'),
      rmiPoolSize: same('rmi_pool_size (= rmi_pool_stride)'),
      weightLambda: same('loss_weight_lambda'),
      lambdaWay: same('lambda_way'),
      activation: same("'sigmoid' = the unmodified reference"),
      numerics: none('how the explorer computes log det (QR or Cholesky); same value'),
    },
    notes: ["RMILoss.forward (the reference's default) uses sigmoid + BCE and gives a different value."],
  },
  'robust-t-loss': {
    source: 'Digital-Dermatology/t-loss tloss.py::TLoss',
    install: 'git clone https://github.com/Digital-Dermatology/t-loss  # @f132e87',
    imports: ['from tloss import TLoss'],
    code: (p) => [
      '# config.data.image_size = H (square images), config.device = logits.device',
      `tl = TLoss(config, nu=${py(p.nu)}, epsilon=${py(p.epsilon)}, reduction='mean')`,
      'loss = tl(logits.softmax(1)[:, 1], target.to(logits.dtype))  # foreground probability vs {0, 1}',
    ],
    params: {
      nu: same('nu'),
      epsilon: same('epsilon'),
      nuParameterisation: none(`${VARIANT} (ν stored as log ν, as in the reference)`),
      logPrecision: none(`${VARIANT} (the reference's λ = 1)`),
    },
    notes: ['Binary only. ν is learnable in the reference; here it is fixed.'],
  },
  'boundary-loss': {
    source: 'LIVIAETS/boundary-loss losses.py::SurfaceLoss + utils.py::one_hot2dist',
    install: 'git clone https://github.com/LIVIAETS/boundary-loss  # @171c32d',
    imports: ['import numpy as np', 'from losses import SurfaceLoss', 'from utils import class2one_hot, one_hot2dist'],
    code: (p) => [
      `dist = torch.stack([torch.from_numpy(one_hot2dist(class2one_hot(t[None], C)[0].numpy(), resolution=[1, 1]${p.distanceRounding === 'none' ? ', dtype=np.float64' : ''})) for t in target])`,
      `loss = SurfaceLoss(idc=${p.classes ? py(p.classes) : 'list(range(1, C))'})(logits.softmax(1), dist.to(logits.dtype))`,
    ],
    params: { classes: same('idc'), distanceRounding: same("one_hot2dist's dtype (int32 one-hot truncates)") },
    notes: [
      'The official pipeline truncates the distances to integers (int32 one-hot); distanceRounding "none" does not.',
    ],
  },
  'hausdorff-distance': {
    source: 'MONAI monai/losses/hausdorff_loss.py::HausdorffDTLoss (erosion estimator: kornia HausdorffERLoss)',
    install: MONAI,
    imports: ['from monai.losses import HausdorffDTLoss'],
    code: (p) =>
      p.estimator === 'erosion'
        ? [
            'from kornia.losses import HausdorffERLoss  # pip install kornia',
            `channels = slice(${p.includeBackground ? 0 : 1}, None)  # kornia uses every channel it is given`,
            `hd = HausdorffERLoss(alpha=${py(p.alpha)}, k=${py(p.erosions)})`,
            'loss = hd(logits.softmax(1)[:, channels], (target.unsqueeze(1) == torch.arange(C)[None, :, None, None])[:, channels].to(logits.dtype))',
          ]
        : [
            `hd = HausdorffDTLoss(alpha=${py(p.alpha)}, include_background=${py(p.includeBackground)}, to_onehot_y=True, softmax=True, batch=${py(p.batch)})`,
            'loss = hd(logits, target.unsqueeze(1))',
          ],
    params: {
      alpha: same('alpha'),
      includeBackground: same('include_background'),
      batch: same('batch'),
      estimator: same("'erosion' = kornia's HausdorffERLoss instead"),
      erosions: same('HausdorffERLoss k'),
    },
    notes: [
      'An empty prediction can score lower than a perfect one: MONAI skips masks without an inside and an outside.',
    ],
  },
  'boundary-aware': {
    source: 'no public code: port of Hayder, He & Salzmann (CVPR 2017) as the survey summarises it (eq. 27)',
    install: SCIPY,
    imports: [
      'import numpy as np',
      'import torch.nn.functional as F',
      'from scipy.ndimage import distance_transform_edt',
    ],
    code: (p) => [
      `R = ${p.R === null ? 'C - 1' : py(p.R)}`,
      'D = np.stack([np.where(t > 0, np.minimum(np.ceil(distance_transform_edt(t > 0)), R), 0) for t in target.numpy()])',
      'b = F.one_hot(torch.from_numpy(np.floor(D * C / (R + 1))).long(), C).permute(0, 3, 1, 2).to(logits.dtype)',
      `q = ${p.activation === 'sigmoid' ? 'logits.sigmoid()' : 'logits.softmax(1)'}`,
      'loss = F.binary_cross_entropy(q, b, reduction="sum") / target.numel()',
    ],
    params: { R: same('R'), activation: same('softmax or sigmoid') },
    notes: ['An object without a background pixel gets D = R everywhere (the explorer handles it the same way).'],
  },
  'active-boundary': {
    source: 'wangchi95/active-boundary-loss abl.py::ABL',
    install: 'git clone https://github.com/wangchi95/active-boundary-loss  # @1511507 (needs CUDA as released)',
    imports: ['from abl import ABL'],
    code: (p) => [
      `abl = ABL(isdetach=${py(p.isDetach)}, max_N_ratio=${py(p.maxNRatio)}, label_smoothing=${py(p.labelSmoothing)}, max_clip_dist=${py(p.maxClipDist)})`,
      'loss = abl(logits, target)  # None when no boundary is predicted',
    ],
    params: {
      isDetach: same('isdetach'),
      maxNRatio: same('max_N_ratio'),
      labelSmoothing: same('label_smoothing'),
      maxClipDist: same('max_clip_dist'),
    },
    notes: ['Where the reference returns None (no predicted boundary), the explorer shows 0.'],
  },
  inverseform: {
    source: 'Qualcomm-AI-research/InverseForm models/loss/utils.py::InverseTransform2D',
    install: 'git clone https://github.com/Qualcomm-AI-research/InverseForm  # @d5fec5b',
    imports: ['from models.loss.utils import InverseTransform2D'],
    code: () => [
      '# The released module needs checkpoints/distance_measures_regressor.pth, which is not published, and applies',
      '# log_softmax to a 1-channel edge map (identically 0), so it cannot reproduce a value. The explorer uses its',
      '# own network (src/inverseform/); there is no PyTorch equivalent of its weights.',
      'loss = InverseTransform2D()(edge_logits, edge_target)',
    ],
    params: {
      tilesY: none('the tiling of the explorer’s network'),
      tilesX: none('the tiling of the explorer’s network'),
      identityReference: none(VARIANT),
      mode: none(VARIANT),
      beta: none('the explorer’s boundary weighting'),
      gamma: none('the explorer’s boundary weighting'),
    },
    notes: ['No reference value exists (property-checked only).'],
  },
  'conditional-boundary': {
    source: 'YZC-99/CBL-Conditional-Boundary-Loss CBLocr_head.py::New_ER5OCRHead.context_loss / er_loss',
    install: 'git clone https://github.com/YZC-99/CBL-Conditional-Boundary-Loss  # @ba97275',
    imports: [],
    code: () => [
      '# CBL works on decoder embeddings and classifier weights inside the OCR head, not on logits: there is no',
      '# call with (logits, target). The explorer applies it to the logits themselves (see the loss card).',
      'loss = head.context_loss(embeddings, target) + head.er_loss(embeddings, target)',
    ],
    params: {
      dilationRatio: none('explorer parameter of the logits adaptation'),
      contextWeight: none('explorer parameter of the logits adaptation'),
      centreClassWeight: none('explorer parameter of the logits adaptation'),
      centrePullWeight: none('explorer parameter of the logits adaptation'),
      withCrossEntropy: none('explorer parameter of the logits adaptation'),
    },
    notes: ['No reference value on logits exists (property-checked only).'],
  },
  'boundary-dou': {
    source: 'sunfan-bvb/BoundaryDoULoss TransUNet/utils.py::BoundaryDoULoss',
    install: 'git clone https://github.com/sunfan-bvb/BoundaryDoULoss  # @9f1185c; run from TransUNet/',
    imports: ['from utils import BoundaryDoULoss'],
    code: (p) => [
      ...(p.alphaMax === 0.8
        ? []
        : [`# alphaMax ${py(p.alphaMax)}: edit the hard-coded min(alpha, 0.8) in BoundaryDoULoss._adaptive_size`]),
      'loss = BoundaryDoULoss(n_classes=C)(logits, target)',
    ],
    params: { alphaMax: same('the hard-coded 0.8 in _adaptive_size') },
    notes: ['Each class is computed over the whole batch.'],
  },
  'region-wise': {
    source:
      'jmlipman/RegionWiseLoss nnUNet/training/loss_functions/rwexp_loss.py::RWLoss (RWGradualCELoss with an epoch)',
    install: 'git clone https://github.com/jmlipman/RegionWiseLoss  # @9c5b66d',
    imports: ['from nnunet.training.loss_functions.rwexp_loss import RWLoss, RWGradualCELoss'],
    code: (p) => [
      p.epoch === null
        ? 'loss = RWLoss()(logits, target.unsqueeze(1))'
        : `loss = RWGradualCELoss()(logits, target.unsqueeze(1), epoch=${py(p.epoch)})`,
    ],
    params: { epoch: same('epoch (RWGradualCELoss)') },
    notes: [],
  },
  combo: {
    source: 'port of asgsaeid/ComboLoss combo_loss.py::Combo_loss (Keras), background sign corrected',
    install: TORCH_ONLY,
    imports: ['import torch.nn.functional as F'],
    code: (p) => [
      `p = logits.softmax(1)[:, ${firstClass(p)}:]`,
      `y = F.one_hot(target, C).permute(0, 3, 1, 2).to(p.dtype)[:, ${firstClass(p)}:]`,
      `d = (2 * (p * y).sum() + ${py(p.smooth)}) / (y.sum() + p.sum() + ${py(p.smooth)})`,
      `pc = p.clamp(${py(p.epsilon)}, 1 - ${py(p.epsilon)})`,
      p.asgsaeidVerbatim
        ? `bce = -${py(p.beta)} * y * pc.log() + (1 - ${py(p.beta)}) * (1 - y) * (1 - pc).log()  # the official sign`
        : `bce = -(${py(p.beta)} * y * pc.log() + (1 - ${py(p.beta)}) * (1 - y) * (1 - pc).log())`,
      `loss = ${py(p.alpha)} * bce.mean() - (1 - ${py(p.alpha)}) * d`,
    ],
    params: {
      alpha: same('ce_d_w'),
      beta: same('ce_w'),
      smooth: same('smooth'),
      epsilon: same('the clip ε'),
      includeBackground: same('the channels flattened'),
      asgsaeidVerbatim: same("the official code's sign of the background term"),
    },
    notes: ['The official line rewards false positives (wrong sign); the corrected form is the default.'],
  },
  'exp-log': {
    source: 'port of Wong et al. 2018 (arXiv 1809.00076) eqs. 1–5: no official code',
    install: TORCH_ONLY,
    imports: ['import torch.nn.functional as F'],
    code: (p) => [
      'prob = logits.softmax(1)',
      'y = F.one_hot(target, C).permute(0, 3, 1, 2).to(prob.dtype)',
      `dice = (2 * (prob * y).sum((2, 3)) + ${py(p.smooth)}) / (y.sum((2, 3)) + prob.sum((2, 3)) + ${py(p.smooth)})`,
      p.classWeights
        ? `w = torch.tensor(${py(p.classWeights)}, dtype=prob.dtype)`
        : 'f = torch.bincount(target.flatten(), minlength=C).to(prob.dtype); w = (f.sum() / f).sqrt()',
      `l_dice = ((-dice.log()) ** ${py(p.gammaDice)}).mean()`,
      `l_cross = (w[target] * (-prob.gather(1, target.unsqueeze(1)).squeeze(1).log()) ** ${py(p.gammaCross)}).mean()`,
      `loss = ${py(p.wDice)} * l_dice + ${py(p.wCross)} * l_cross`,
    ],
    params: {
      wDice: same('w_Dice'),
      wCross: same('w_Cross'),
      gammaDice: same('γ_Dice'),
      gammaCross: same('γ_Cross'),
      smooth: same('smooth'),
      classWeights: same('w_l'),
      form: same("'segloss' = SegLoss ExpLog_loss, whose formula differs"),
    },
    notes: ['SegLoss ExpLog_loss applies the exponent to −ln of the mean Dice and uses plain CE: different numbers.'],
  },
  'unified-focal': {
    source:
      'MONAI monai/losses/unified_focal_loss.py::AsymmetricUnifiedFocalLoss (= the port of mlyg/unified-focal-loss)',
    install: MONAI,
    imports: ['from monai.losses import AsymmetricUnifiedFocalLoss'],
    code: (p) => [
      `# MONAI's weight multiplies the focal term (the paper's λ); the explorer's ${p.weightOn === 'focal' ? 'also does' : 'multiplies the focal Tversky term, as the official code'}`,
      `ufl = AsymmetricUnifiedFocalLoss(to_onehot_y=True, weight=${p.weightOn === 'focal' ? py(p.weight) : `1 - ${py(p.weight)}`}, delta=${py(p.delta)}, gamma=${py(p.gamma)})`,
      'loss = ufl(logits.softmax(1), target.unsqueeze(1))  # MONAI expects probabilities',
    ],
    params: {
      weight: same('weight (1 − weight unless weightOn is focal)'),
      delta: same('delta'),
      gamma: same('gamma'),
      weightOn: same('which term weight multiplies'),
      form: same("'symmetric' = the official sym_unified_focal_loss (no MONAI class)"),
    },
    notes: ['Binary only. MONAI defaults to δ = 0.7, the official code to 0.6.'],
  },
};
