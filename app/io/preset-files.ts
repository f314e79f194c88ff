/** Serialises the preset sources to the JSON text of public/presets/ (shared by the writer and its test). */
import { rleEncode } from '../editing/encoding';
import { presetSources } from '../editing/preset-sources';
import { PRESET_FORMAT, type PresetFile, type PresetIndexEntry } from './presets';

export function presetFiles(): { files: Record<string, string>; index: PresetIndexEntry[] } {
  const files: Record<string, string> = {};
  const index: PresetIndexEntry[] = [];
  for (const s of presetSources()) {
    const file: PresetFile = {
      format: PRESET_FORMAT,
      id: s.id,
      name: s.name,
      description: s.description,
      width: s.size,
      height: s.size,
      numClasses: s.numClasses,
      ...(s.classNames ? { classNames: s.classNames } : {}),
      target: { encoding: 'rle', data: rleEncode(s.target) },
      prediction: { recipe: s.recipe },
    };
    const name = `${s.id}.json`;
    files[name] = `${JSON.stringify(file)}\n`;
    index.push({ id: s.id, name: s.name, description: s.description, file: name });
  }
  return { files, index };
}
