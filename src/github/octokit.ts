import { ProbotOctokit } from "probot";

/**
 * Probot's Octokit with the throttling plugin's fixed spacing of writes (one
 * second, three for reviews and comments) turned off: a review would take
 * four seconds of sleeping. Writes of one pull request are already serial
 * (the queue), and secondary rate limits are met by waiting as long as
 * GitHub's Retry-After says (rate-limit.ts). Written as a function so it
 * wins over the throttle options Probot itself passes to every instance.
 */
export const AppOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));
