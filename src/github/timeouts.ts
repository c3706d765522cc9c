/**
 * A fetch whose every request ends within `timeoutMs`: fetch has no timeout
 * of its own, and a GitHub that accepts a connection and never answers would
 * hold the job (and its queue lock, renewed by a live worker) forever. An
 * abandoned request fails like a 5xx: Octokit's retry plugin and then the
 * job's retries take it. Given to Probot as `request.fetch` (a signal set in
 * an Octokit hook does not reach fetch).
 */
export function timedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}
