import type { Filter } from '../filter/ast';
import type { AttributePath } from './attribute-path';

/**
 * A PATCH operation's `path` (RFC 7644 §3.5.2): `attrPath` or `valuePath ["." subAttr]`.
 *   `name.familyName`                    → { attribute: {attribute:"name", subAttribute:"familyName"} }
 *   `emails[type eq "work"].value`       → { attribute: {attribute:"emails"}, valueFilter, subAttribute:"value" }
 *   `members[value eq "2819c223"]`       → { attribute: {attribute:"members"}, valueFilter }
 */
export interface PatchPath {
  readonly attribute: AttributePath;
  /** Selects elements of a multi-valued attribute; its paths are relative to the attribute. */
  readonly valueFilter?: Filter;
  /** Sub-attribute after a value filter (`emails[…].value`). */
  readonly subAttribute?: string;
}
