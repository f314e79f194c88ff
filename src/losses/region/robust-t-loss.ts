/**
 * Robust T-Loss: negative log-likelihood of a multivariate Student-t over the whole image (binary).
 * Paper: Gonzalez-Jimenez, Lionetti, Gottfrois, Gröger, Pouly & Navarini, "Robust T-Loss for Medical Image
 *   Segmentation", MICCAI 2023 (arXiv 2306.00753), eq. 3; survey §2.2 (T-Loss).
 * Reference: Digital-Dermatology/t-loss@f132e876 tloss.py::TLoss, fed — as in the authors' train.py — the
 *   softmax foreground channel p_1 against t ∈ {0, 1}.
 *
 * With D = H·W, ν̃ = e^ν + ε, λ the log-precision (1 in the reference), δ_i = p_i1 − t_i, each image gives
 *
 *   L_n = −log Γ((ν̃+D)/2) + log Γ(ν̃/2) − ½D(λ+ε) + (D/2) log π + (D/2)(ν+ε)
 *         + ((ν̃+D)/2) · log(1 + e^{λ+ε} Σ_i δ_i² / ν̃)
 *
 * and L = mean_n L_n. Everything but the last term depends only on ν, λ and D: it is computed in float64
 * TypeScript (src/ops/lgamma.ts) and enters the graph as one constant, so TF.js never needs lgamma.
 */

import { lgamma } from '../../ops/lgamma';
import { smallTail } from '../../ops/small-tail';
import { oneHotPair, type SumTerm, softmaxClassSums } from '../../ops/softmax-class-sums';
import { ParamError } from '../../params';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type RobustTLossParams = {
  nu: number;
  epsilon: number;
  nuParameterisation: 'log' | 'direct';
  logPrecision: number;
};

/**
 * The graph-free parts of L_n for one image of D pixels: the additive constant K, the factor A = (ν̃+D)/2 and
 * the scale B = e^{λ+ε}/ν̃ of Σδ², in float64. L_n = K + A·log(1 + B·Σδ²).
 */
export function tLossConstants(params: RobustTLossParams, d: number): { k: number; a: number; b: number } {
  const { nu, epsilon: eps, logPrecision: lambda } = params;
  const direct = params.nuParameterisation === 'direct';
  if (direct && !(nu > 0)) {
    throw new ParamError('robust-t-loss', 'nu', `must be > 0 when nuParameterisation is 'direct', got ${nu}`);
  }
  const nuT = direct ? nu : Math.exp(nu) + eps;
  // The reference's (D/2)(ν+ε) is (D/2)·log ν̃ under ν̃ = e^ν; the direct form writes log ν̃ itself.
  const logNuTerm = direct ? Math.log(nuT) : nu + eps;
  const a = (nuT + d) / 2;
  const k = -lgamma(a) + lgamma(nuT / 2) - 0.5 * d * (lambda + eps) + (d / 2) * Math.log(Math.PI) + (d / 2) * logNuTerm;
  return { k, a, b: Math.exp(lambda + eps) / nuT };
}

export const robustTLoss = defineLoss<RobustTLossParams, 'robust-t-loss'>({
  id: 'robust-t-loss',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Robust T-Loss',
  category: 'region',
  citation: {
    authors: [
      'Alvaro Gonzalez-Jimenez',
      'Simone Lionetti',
      'Philippe Gottfrois',
      'Fabian Gröger',
      'Marc Pouly',
      'Alexander A. Navarini',
    ],
    title: 'Robust T-Loss for Medical Image Segmentation',
    venue: 'MICCAI 2023',
    year: 2023,
    arxiv: '2306.00753',
    url: 'https://arxiv.org/abs/2306.00753',
  },
  summary: 'Negative log-likelihood of a Student-t distribution of the errors, robust to outliers.',
  useWhen: 'Noisy or partly wrong labels; the tail parameter nu sets how much outliers are discounted.',
  needs: [],
  binaryOnly: true,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{T}=\operatorname*{mean}_n\Big[-\log\Gamma\big(\tfrac{\tilde\nu+D}{2}\big)+\log\Gamma\big(\tfrac{\tilde\nu}{2}\big)-\tfrac D2(\lambda+\epsilon)+\tfrac D2\log\pi+\tfrac D2(\nu+\epsilon)+\tfrac{\tilde\nu+D}{2}\log\Big(1+\frac{e^{\lambda+\epsilon}\sum_i\delta_{ni}^2}{\tilde\nu}\Big)\Big],\quad \tilde\nu=e^{\nu}+\epsilon,\ \delta_{ni}=p_{ni1}-t_{ni},\ D=HW`,
  reference: [
    {
      repo: 'Digital-Dermatology/t-loss',
      commit: 'f132e8767c2191463bbcc2c15310cd8df1b7ab30',
      path: 'tloss.py',
      symbol: 'TLoss',
      note: 'input = softmax foreground channel (as train.py); D = H·W and lambdas = ones(H, W) for non-square images',
    },
  ],
  params: {
    nu: {
      kind: 'number',
      label: 'ν (tail parameter)',
      default: 1,
      min: -10,
      max: 10,
      step: 0.1,
      doc: 'Degrees-of-freedom parameter, fixed here (learned in the reference). Reference parameterisation: ν̃ = e^ν + ε, so the default ν = 1 means ν̃ ≈ e. Small ν̃: heavy tails, outliers discounted; large ν̃: Gaussian, MSE-like.',
    },
    epsilon: {
      kind: 'number',
      label: 'ε',
      default: 1e-8,
      min: 0,
      max: 1e-2,
      scale: 'log',
      doc: "The reference's ε, added to ν̃ and to the log-precision λ (it only keeps ν̃ > 0).",
    },
    nuParameterisation: {
      kind: 'enum',
      label: 'ν parameterisation',
      default: 'log',
      doc: 'How ν maps to the degrees of freedom ν̃.',
      options: [
        { value: 'log', label: 'ν̃ = e^ν + ε (reference)', doc: "The authors' code: ν is a log-parameter." },
        {
          value: 'direct',
          label: 'ν̃ = ν (paper)',
          doc: 'The paper writes the Student-t with ν itself (must be > 0); (D/2)(ν+ε) becomes (D/2) log ν.',
        },
      ],
    },
    logPrecision: {
      kind: 'number',
      label: 'λ (log-precision)',
      default: 1,
      min: -5,
      max: 5,
      step: 0.1,
      doc: 'Σ⁻¹ = e^λ·I. The reference initialises its learnable λ to ones (Σ⁻¹ = e·I); the paper uses Σ = I, i.e. λ = 0.',
    },
  },
  variants: [
    {
      param: 'nuParameterisation',
      value: 'direct',
      label: 'paper: ν is the degrees of freedom',
      doc: 'The paper states the loss with ν directly; the code learns log ν (ν̃ = e^ν + ε). The same ν̃ gives the same loss up to ε.',
    },
    {
      param: 'logPrecision',
      value: 0,
      label: 'paper: Σ = I (λ = 0)',
      doc: 'The reference initialises λ to 1, so Σ⁻¹ = e·I (t-loss issue #2); the paper takes the identity covariance.',
    },
  ],
  pitfalls: [
    {
      where: 'Digital-Dermatology/t-loss tloss.py',
      text: 'λ (log-precision) starts at 1, not 0, so Σ⁻¹ = e·I rather than the paper’s identity; ν is log-parameterised (issue #2 on the code/paper mismatch).',
    },
    {
      where: 'Digital-Dermatology/t-loss tloss.py',
      text: 'D and the size of lambdas come from config image_size² (a square image): any other input size breaks or mis-scales the loss. Here D = H·W of the input.',
    },
    {
      where: 'survey (T-Loss paragraph)',
      text: 'Says low ν behaves like MSE and high ν like MAE; Student-t theory says the reverse (ν → ∞ is Gaussian, i.e. MSE-like).',
    },
  ],
  notes: [
    'Binary only (C = 2): the input is the softmax foreground channel p_1.',
    'The constant K = −log Γ((ν̃+D)/2) + log Γ(ν̃/2) − ½D(λ+ε) + (D/2) log π + (D/2)(ν+ε) and the factors (ν̃+D)/2 and e^{λ+ε}/ν̃ are computed in float64 with a Stirling-series lgamma (src/ops/lgamma.ts, ≤ 1e-15 relative at these arguments) and enter the graph as float32 constants.',
    'Values scale with D and can be negative (−158 for a confident 12×12 prediction); at 512² the value ≈ 5e4 is K ≈ −1.26e6 plus a term ≈ 1.3e6, so float32 cancels ~5 digits. Measured against a float64 evaluation of the same formula (256² and 512², ν ∈ {0, 1, 5}): value ≤ 1.2e-6 relative, gradient ≤ 8e-7 of max|g|, on cpu and wasm — inside the 1e-4 tolerance. This needs Σδ² summed in stages (src/ops/staged-sum.ts): one float32 tf.sum over 512² pixels on WASM gave 3.9e-4 relative value and 1.6e-4 gradient error.',
    'log(1 + x) is tf.log1p, accurate when Σδ² is tiny; x ≥ 0, so no clamp is needed. No other epsilon than the reference’s ε.',
  ],
  compute(logits, _target, params, ctx) {
    const [, h, w] = logits.shape;
    const { k, a, b } = tLossConstants(params, h * w);
    return tf.tidy(() => {
      // Σ_i δ_i² per image = Σ (1 − p_1)² t + Σ p_1² (1 − t) (1 − p_1 = p_0, cancellation-free), from
      // softmaxClassSums: closed-form gradient ∂/∂p_1 = −2(1 − p_1) t + 2 p_1 (1 − t), staged float32 sums
      const s = softmaxClassSums(logits, oneHotPair(ctx), ROBUST_T_TERMS, false, true);
      return smallTail(s, [], (m, all) => {
        const sq = m.sum(m.select(all, [1]), 0); // [N, 1]
        return m.mean(m.add(k, m.mul(a, m.log1p(m.mul(b, sq)))));
      });
    });
  },
});

const ROBUST_T_TERMS: readonly SumTerm[] = [
  { of: 'q2', weight: 'y' },
  { of: 'p2', weight: 'notY' },
];
