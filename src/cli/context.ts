/** What every CLI command reads from the configuration: where the repository's standard lives. */
import { loadConfig } from '../config.ts';
import { Catalog, loadStandards, type Standards } from '../standards/index.ts';

/** The repository root (`SUYUAN_ROOT`, default: this repository). */
export function repositoryRoot(): string | undefined {
  return loadConfig().root;
}

export function openCatalog(): Catalog {
  return new Catalog(repositoryRoot());
}

export function openStandards(): Promise<Standards> {
  const root = repositoryRoot();
  return loadStandards(root === undefined ? {} : { root });
}
