import { BackendName, chooseBackend } from '../../../container/src/backend/choose-backend';

const none = new Set<BackendName>();

describe('chooseBackend', () => {
  it('prefers tfjs-node-gpu when installed, as in the container image', () => {
    // given both native bindings
    // when / then
    expect(chooseBackend('infer', undefined, new Set(['tfjs-node-gpu', 'tfjs-node'])).name).toBe(
      'tfjs-node-gpu',
    );
  });

  it('uses tfjs-node when only the CPU binding is installed', () => {
    // given / when / then
    expect(chooseBackend('train', undefined, new Set(['tfjs-node'])).name).toBe('tfjs-node');
  });

  it('falls back to wasm for inference and for training without native bindings', () => {
    // given / when / then
    expect(chooseBackend('infer', undefined, none).name).toBe('wasm');
    expect(chooseBackend('train', '', none).name).toBe('wasm');
  });

  it('obeys the TFJS_BACKEND override', () => {
    // given native bindings but an override
    // when / then
    expect(chooseBackend('infer', 'cpu', new Set(['tfjs-node-gpu']))).toEqual({
      name: 'cpu',
      reason: 'TFJS_BACKEND override',
    });
  });

  it('rejects an unknown override naming the choices', () => {
    // given / when / then
    expect(() => chooseBackend('infer', 'webgpu', none)).toThrow(
      "TFJS_BACKEND: 'webgpu' is not one of tfjs-node-gpu, tfjs-node, wasm, cpu",
    );
  });

  it('rejects an override to a native binding that is not installed', () => {
    // given / when / then
    expect(() => chooseBackend('infer', 'tfjs-node-gpu', none)).toThrow(
      'TFJS_BACKEND: tfjs-node-gpu was requested but @tensorflow/tfjs-node-gpu is not installed',
    );
  });
});
