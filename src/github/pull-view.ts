import { parse as parseYaml } from "yaml";
import { assertConfigSize } from "../config/size.js";
import type { PullLabel } from "../review/overrides.js";
import { CONFIG_FILE, type ConfigReader } from "./config.js";
import { rememberBaseMaintainers } from "./maintainers.js";
import type { PullState } from "./pull-state.js";
import type { Octokit, PullRef } from "./types.js";

// What a review reads before the patch, in one GraphQL request: the pull
// request as it is now (state, head, base, labels, draft, counts), who added
// its labels, the repository's `.github/patchwarden.yml` and the owner's
// `.github` repository's (Probot's `context.config` order), and MAINTAINERS at
// the base the webhook named. Over REST that is three to five requests.

const CONFIG_PATH = `.github/${CONFIG_FILE}`;

const QUERY = /* GraphQL */ `
  query PatchwardenPull($owner: String!, $repo: String!, $number: Int!, $config: String!, $orgConfig: Boolean!, $maintainers: String!, $withMaintainers: Boolean!) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        state
        headRefOid
        baseRefOid
        headRefName
        isDraft
        changedFiles
        commits {
          totalCount
        }
        labels(first: 100) {
          nodes {
            name
          }
        }
        timelineItems(itemTypes: [LABELED_EVENT], last: 100) {
          pageInfo {
            hasPreviousPage
          }
          nodes {
            ... on LabeledEvent {
              createdAt
              actor {
                login
              }
              label {
                name
              }
            }
          }
        }
      }
      config: object(expression: $config) {
        ...ConfigFile
      }
      maintainers: object(expression: $maintainers) @include(if: $withMaintainers) {
        __typename
        ... on Blob {
          oid
          isBinary
          isTruncated
          text
        }
      }
    }
    org: repository(owner: $owner, name: ".github") @include(if: $orgConfig) {
      config: object(expression: $config) {
        ...ConfigFile
      }
    }
  }
  fragment ConfigFile on GitObject {
    __typename
    ... on Blob {
      byteSize
      isTruncated
      text
    }
  }
`;

interface GitObjectAnswer {
  __typename: string;
  byteSize?: number;
  isTruncated?: boolean;
  isBinary?: boolean | null;
  oid?: string;
  text?: string | null;
}

interface Answer {
  repository: {
    pullRequest: {
      state: string;
      headRefOid: string;
      baseRefOid: string;
      headRefName: string;
      isDraft: boolean;
      changedFiles: number;
      commits: { totalCount: number };
      labels: { nodes: { name: string }[] };
      timelineItems: { pageInfo: { hasPreviousPage: boolean }; nodes: ({ createdAt?: string; actor?: { login: string } | null; label?: { name: string } } | null)[] };
    } | null;
    config: GitObjectAnswer | null;
    maintainers?: GitObjectAnswer | null;
  } | null;
  org?: { config: GitObjectAnswer | null } | null;
}

export interface PullView extends PullState {
  /** Who added each label last and when (`labeled` events, oldest first); `complete` false when older ones were left out. */
  labelEvents: { events: PullLabel[]; complete: boolean };
  /** The configuration as Probot's reader would give it, from what was read; it falls back to `fallback` only for `_extends`. */
  config(fallback: ConfigReader): ConfigReader;
  calls: number;
}

/**
 * Reads the pull request and what its review needs before the patch.
 * `baseSha` is the base the webhook named: MAINTAINERS is read there (unless
 * already cached) and cached for it, whatever base the pull request has now.
 */
export async function readPullView(octokit: Octokit, pull: PullRef, opts: { baseSha?: string; haveMaintainers?: boolean } = {}): Promise<PullView> {
  const withMaintainers = Boolean(opts.baseSha) && !opts.haveMaintainers;
  const variables = {
    owner: pull.owner,
    repo: pull.repo,
    number: pull.pull_number,
    config: `HEAD:${CONFIG_PATH}`,
    orgConfig: pull.repo.toLowerCase() !== ".github",
    maintainers: `${opts.baseSha ?? ""}:MAINTAINERS`,
    withMaintainers,
  };
  const data = await queryAllowingMissingOrgRepo(octokit, variables);
  const pr = data.repository?.pullRequest;
  if (!data.repository || !pr) throw new Error(`GraphQL answered without pull request ${pull.owner}/${pull.repo}#${pull.pull_number}`);
  if (withMaintainers) {
    const m = data.repository.maintainers;
    // A truncated or binary blob is left to the contents API (readBaseMaintainers); none at all is remembered as none.
    if (!m) rememberBaseMaintainers(pull, opts.baseSha!, null);
    else if (m.__typename === "Blob" && !m.isTruncated && typeof m.text === "string" && m.oid) rememberBaseMaintainers(pull, opts.baseSha!, { sha: m.oid, text: m.text });
  }
  const events = pr.timelineItems.nodes
    .filter((n): n is { createdAt: string; actor?: { login: string } | null; label: { name: string } } => Boolean(n?.label && n.createdAt))
    .map((n) => ({ name: n.label.name, addedBy: n.actor?.login ?? null, addedAt: n.createdAt }));
  const files = [data.repository.config, data.org?.config ?? null];
  return {
    state: pr.state === "OPEN" ? "open" : "closed",
    headSha: pr.headRefOid,
    baseSha: pr.baseRefOid,
    headRef: pr.headRefName,
    draft: pr.isDraft,
    labels: pr.labels.nodes.map((l) => l.name),
    commits: pr.commits.totalCount,
    changedFiles: pr.changedFiles,
    labelEvents: { events, complete: !pr.timelineItems.pageInfo.hasPreviousPage },
    config: (fallback) => prefetchedConfig(pull, files, fallback),
    calls: 1,
  };
}

/**
 * The owner may have no `.github` repository, or the installation may not
 * cover it: GitHub answers NOT_FOUND for that part alone, as the contents API
 * answers 404. Any other error fails the request.
 */
async function queryAllowingMissingOrgRepo(octokit: Octokit, variables: Record<string, unknown>): Promise<Answer> {
  try {
    return await octokit.graphql<Answer>(QUERY, variables);
  } catch (err) {
    const e = err as { name?: string; errors?: { type?: string; path?: (string | number)[] }[]; data?: Answer };
    if (e.name === "GraphqlResponseError" && e.data && e.errors?.every((x) => x.type === "NOT_FOUND" && x.path?.[0] === "org")) return { ...e.data, org: null };
    throw err;
  }
}

/** Probot's config plugin on the files already read: the repository's, else the owner's `.github`; `_extends` is left to the plugin. */
function prefetchedConfig(pull: PullRef, files: (GitObjectAnswer | null)[], fallback: ConfigReader): ConfigReader {
  return {
    async config<T>(fileName: string): Promise<T | null> {
      if (fileName !== CONFIG_FILE) return fallback.config<T>(fileName);
      const owners = [`${pull.owner}/${pull.repo}`, `${pull.owner}/.github`];
      for (const [i, file] of files.entries()) {
        const where = `${owners[i]}:${CONFIG_PATH}`;
        if (!file) continue;
        if (file.__typename !== "Blob") throw new Error(`[@probot/octokit-plugin-config] ${where} exists, but is either a directory or a submodule. Ignoring.`);
        // The same bound as on the contents API's answer (guardConfigReads): refused before anything parses it.
        assertConfigSize(file.byteSize ?? 0, CONFIG_PATH);
        let parsed: unknown;
        try {
          parsed = parseYaml(file.text ?? "", { logLevel: "error" }) || {};
        } catch (error) {
          throw new Error(`[@probot/octokit-plugin-config] Configuration could not be parsed from ${where} (invalid YAML)`, { cause: error });
        }
        if (typeof parsed === "string") throw new Error(`[@probot/octokit-plugin-config] Configuration could not be parsed from ${where} (YAML is not an object)`);
        // `_extends` reads further repositories: the plugin does that, with its own rules.
        if (typeof parsed === "object" && parsed !== null && "_extends" in parsed) return fallback.config<T>(fileName);
        return parsed as T;
      }
      return null;
    },
  };
}
