import { VigilError } from '../../core/errors.js';
import type { StoreReader } from '../../core/store.js';
import type { Playbook, PlaybookSource } from './playbook.js';

/** One playbook as the catalogue knows it, with where it came from. */
export interface CatalogEntry {
  readonly playbook: Playbook;
  readonly source: PlaybookSource;
  /** The YAML or JSON as written. */
  readonly sourceText: string;
  /** For playbooks stored through the API: when they were last changed. */
  readonly updatedAt: number | null;
}

function byName(entries: CatalogEntry[]): CatalogEntry[] {
  return entries.sort((a, b) => a.playbook.name.localeCompare(b.playbook.name));
}

/**
 * The playbooks Vigil knows: the built-ins shipped in `playbooks/`, then those of the operator's
 * directory (`VIGIL_PLAYBOOK_DIR`), then those stored through the API, each replacing an
 * earlier one of the same name. Files are read once at start; stored playbooks are read from the
 * store each time, so every instance sees a `PUT` at once.
 */
export class PlaybookCatalog {
  readonly #files = new Map<string, CatalogEntry>();
  /** The file playbooks by name, sorted once: every new alert asks for the catalogue. */
  #sortedFiles: readonly CatalogEntry[] | undefined;

  /** Adds a playbook read from a file; a directory's replaces a built-in of the same name. */
  addFile(entry: { playbook: Playbook; source: 'builtin' | 'directory'; sourceText: string }): void {
    this.#files.set(entry.playbook.name, { ...entry, updatedAt: null });
    this.#sortedFiles = undefined;
  }

  /** Every playbook, by name. */
  async all(reader: StoreReader): Promise<CatalogEntry[]> {
    const stored = await reader.listPlaybooks();
    this.#sortedFiles ??= byName([...this.#files.values()]);
    if (stored.length === 0) return [...this.#sortedFiles];
    const merged = new Map(this.#files);
    for (const s of stored) merged.set(s.playbook.name, { playbook: s.playbook, source: 'api', sourceText: s.sourceText, updatedAt: s.updatedAt });
    return byName([...merged.values()]);
  }

  /** The playbook named `name`; NOT_FOUND otherwise. */
  async find(reader: StoreReader, name: string): Promise<CatalogEntry> {
    const stored = await reader.getPlaybook(name);
    if (stored !== undefined) return { playbook: stored.playbook, source: 'api', sourceText: stored.sourceText, updatedAt: stored.updatedAt };
    const file = this.#files.get(name);
    if (file === undefined) throw new VigilError('NOT_FOUND', `no playbook ${name}`);
    return file;
  }
}
