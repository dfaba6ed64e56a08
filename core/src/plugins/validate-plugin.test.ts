import { expect } from 'chai';
import { PLUGIN_API_VERSION } from '@switchyard/plugin-api';
import { validatePlugin } from './validate-plugin.js';

describe('validatePlugin: knownModels', () => {
  const plugin = (knownModels: unknown) => ({ id: 'vendor', apiVersion: PLUGIN_API_VERSION, knownModels });

  it('accepts a list of model ids', () => {
    expect(validatePlugin(plugin(['big-model-4']), 'inline')).to.deep.equal([]);
  });

  it('refuses anything else, naming the field', () => {
    for (const bad of ['big-model-4', [''], [4]]) {
      expect(validatePlugin(plugin(bad), 'inline').join('\n')).to.include('knownModels must be a list of model ids');
    }
  });
});
