"""TikTok's API for Business: the team's ad accounts say what is really authorized.

`settings` turns the app's settings and the environment into a `TikTokConfig` (the token never
shows in its repr); `api` is the one HTTP client (deadlines, retries, errors in plain words);
`read` lists every post the ad accounts hold (`read_tiktok` → `TikTokRead`); `actions` applies
codes and unbinds ended posts, logging each action. Matching a read against the sheet is
`lib.reconcile`, which needs no network.
"""
