import type { PatchOperation, Resource } from '../../api/scim';

/** A form row of a multi-valued attribute (an email, a phone number, an address), other sub-attributes kept. */
export type Row = Record<string, unknown>;

/** What a form holds for one attribute: text, a checkbox, or the rows of a multi-valued attribute. */
export type Draft = string | boolean | Row[];

export interface Column {
  readonly key: string;
  readonly label: string;
  readonly options?: readonly string[];
}

/**
 * One editable attribute of the user: how the form reads it from the resource, and what a PATCH
 * sends for it (`write` undefined: remove it). `name` is how the server names it in its
 * sentences, so a validation message lands under the right field (fieldOfError).
 */
export interface AttributeSpec {
  readonly path: string;
  readonly name: string;
  readonly label: string;
  readonly section: string;
  readonly kind: 'text' | 'select' | 'check' | 'rows';
  /** The input's type for text: date, url, email… */
  readonly inputType?: string;
  readonly options?: readonly { value: string; label: string }[];
  readonly columns?: readonly Column[];
  /** What one row is called: "Email", "Phone number". */
  readonly item?: string;
  readonly hint?: string;
  /** A select that always has a value (no "not set" choice). */
  readonly required?: boolean;
  readonly read: (user: Resource) => Draft;
  readonly write: (draft: Draft) => unknown;
}

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

/** The value at `key` of the user, or of one of its extensions (`urn`) or complex attributes. */
export const valueAt = (user: Resource, key: string, urn?: string): unknown => {
  const holder = urn ? objectAt(user[urn]) : (user as Json);
  const [head, sub] = key.split('.', 2);
  return sub === undefined ? holder[head] : objectAt(holder[head])[sub];
};

const textOf = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** A single-valued string attribute: blank means remove it. */
export function text(label: string, section: string, key: string, options: { urn?: string; inputType?: string; hint?: string; choices?: readonly { value: string; label: string }[]; required?: boolean } = {}): AttributeSpec {
  return {
    path: options.urn ? `${options.urn}:${key}` : key, name: key, label, section, required: options.required,
    kind: options.choices ? 'select' : 'text', inputType: options.inputType, hint: options.hint, options: options.choices,
    read: (user) => textOf(valueAt(user, key, options.urn)),
    write: (draft) => (String(draft).trim() === '' ? undefined : String(draft).trim()),
  };
}

export function check(label: string, section: string, key: string, urn: string, hint?: string): AttributeSpec {
  return { path: `${urn}:${key}`, name: key, label, section, kind: 'check', hint, read: (user) => valueAt(user, key, urn) === true, write: (draft) => draft === true };
}

/** A multi-valued complex attribute edited as rows; a row without a value is dropped. */
export function rows(label: string, item: string, section: string, key: string, columns: readonly Column[]): AttributeSpec {
  const filled = (row: Row) => columns.some((c) => !c.options && textOf(row[c.key]).trim() !== '');
  return {
    path: key, name: key, label, item, section, kind: 'rows', columns,
    read: (user) => (Array.isArray(user[key]) ? (user[key] as Row[]).map((row) => ({ ...row })) : []),
    write: (draft) => {
      const kept = (draft as Row[]).filter(filled).map((row) =>
        Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '' && v !== undefined && v !== false)));
      return kept.length ? kept : undefined;
    },
  };
}

/** The replace (or remove) operations of the attributes whose value changed, and only those. */
export function operationsOf(specs: readonly AttributeSpec[], user: Resource, drafts: Record<string, Draft>): PatchOperation[] {
  return specs.flatMap((spec): PatchOperation[] => {
    if (!(spec.path in drafts)) return [];
    const before = spec.write(spec.read(user));
    const after = spec.write(drafts[spec.path]);
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    return after === undefined ? [{ op: 'remove', path: spec.path }] : [{ op: 'replace', path: spec.path, value: after }];
  });
}

/** A value as the page shows it when not editing. */
export function shownValue(spec: AttributeSpec, user: Resource): string {
  const draft = spec.read(user);
  if (spec.kind === 'check') return draft ? 'Yes' : 'No';
  if (spec.kind === 'rows') {
    const list = draft as Row[];
    return list.map((row) => spec.columns!.filter((c) => !c.options).map((c) => textOf(row[c.key])).filter(Boolean).join(', ')
      + (row.type ? ` (${textOf(row.type)})` : '') + (row.primary === true ? ' · primary' : '')).join('\n') || '—';
  }
  return spec.options?.find((o) => o.value === draft)?.label ?? (draft === '' ? '—' : String(draft));
}
