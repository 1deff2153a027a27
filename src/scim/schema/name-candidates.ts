import { closestName, type NameCandidate } from './closest-name';
import { commonAttributes, type ResourceType } from './definitions';

/** The names a misspelt attribute name is compared with (closest-name), by where it was written. */

const candidateCache = new WeakMap<ResourceType, readonly NameCandidate[]>();

/** Top-level names, the sub-attributes of singular complex ones (givenName → name.givenName), and URN-qualified extension attributes. */
export function topLevelCandidates(type: ResourceType): readonly NameCandidate[] {
  let candidates = candidateCache.get(type);
  if (candidates) return candidates;
  const core = [...commonAttributes, ...type.core.attributes];
  candidates = [
    ...core.map((a) => ({ name: a.name, suggestion: a.name })),
    ...core.filter((a) => a.type === 'complex' && !a.multiValued && a.mutability !== 'readOnly')
      .flatMap((a) => (a.subAttributes ?? []).map((s) => ({ name: s.name, suggestion: `${a.name}.${s.name}` }))),
    ...extensionCandidates(type),
  ];
  candidateCache.set(type, candidates);
  return candidates;
}

export const extensionCandidates = (type: ResourceType): NameCandidate[] =>
  type.extensions.flatMap(({ schema }) => [
    { name: schema.id.slice(schema.id.lastIndexOf(':') + 1), suggestion: schema.id },
    ...schema.attributes.map((a) => ({ name: a.name, suggestion: `${schema.id}:${a.name}` })),
  ]);

/** "Did you mean …?" for a top-level name, plain or URN-qualified, that no schema of the type defines. */
export const closestAttribute = (type: ResourceType, name: string): string | undefined =>
  closestName(name.slice(name.lastIndexOf(':') + 1), topLevelCandidates(type));
