import { describe, expect, it } from 'vitest';
import { type BackendName, isSoftwareRenderer, parseBackendParam, selectBackend } from './select';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)';

function fakeInit(failing: BackendName[] = []) {
  const tried: BackendName[] = [];
  const init = async (name: BackendName) => {
    tried.push(name);
    if (failing.includes(name)) throw new Error(`${name} broke`);
    return { precision: 'float32', variant: null, thread: 'worker' };
  };
  return { init, tried };
}

describe('backend selection', () => {
  it('recognises software renderers', () => {
    expect(isSoftwareRenderer(SWIFTSHADER)).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareRenderer(NVIDIA)).toBe(false);
    expect(isSoftwareRenderer(null)).toBe(false);
  });

  it('parses ?backend=', () => {
    expect(parseBackendParam('?backend=webgl')).toBe('webgl');
    expect(parseBackendParam('?x=1')).toBeNull();
    expect(parseBackendParam('?backend=gpu')).toBe('invalid');
  });

  it('uses WebGL on a real GPU and WASM on a software renderer or without WebGL', async () => {
    const a = fakeInit();
    expect((await selectBackend(null, a.init, NVIDIA)).name).toBe('webgl');
    const b = fakeInit();
    const sw = await selectBackend(null, b.init, SWIFTSHADER);
    expect(sw.name).toBe('wasm');
    expect(b.tried).toEqual(['wasm']);
    expect(sw.reason).toMatch(/software renderer/);
    expect((await selectBackend(null, fakeInit().init, null)).name).toBe('wasm');
  });

  it('falls back in order and records every failure (never silently)', async () => {
    const f = fakeInit(['webgl', 'wasm']);
    const info = await selectBackend(null, f.init, NVIDIA);
    expect(info.name).toBe('cpu');
    expect(f.tried).toEqual(['webgl', 'wasm', 'cpu']);
    expect(info.failures).toEqual(['webgl failed: webgl broke', 'wasm failed: wasm broke']);
    await expect(selectBackend(null, fakeInit(['webgl', 'wasm', 'cpu']).init, NVIDIA)).rejects.toThrow(
      /No TF.js backend could start/,
    );
  });

  it('never falls back from a forced backend', async () => {
    const f = fakeInit(['webgl']);
    await expect(selectBackend('webgl', f.init, SWIFTSHADER)).rejects.toThrow(/webgl broke/);
    expect(f.tried).toEqual(['webgl']);
    const ok = await selectBackend('webgl', fakeInit().init, SWIFTSHADER);
    expect(ok).toMatchObject({ name: 'webgl', renderer: SWIFTSHADER, failures: [] });
  });
});
