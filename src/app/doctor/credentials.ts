/** Which credentials Claude Code would use under this environment, in the order the agent tries them. */
import { hasClaudeLogin } from '../../agents/claude-code/credentials.js';
import { result, type Check } from './check.js';

const TITLE = 'Credentials';

export const checkCredentials: Check = async ({ env }) => {
  const login = hasClaudeLogin(env);
  if (env.ANTHROPIC_API_KEY) {
    const fallback = login ? '; a Claude login is also there, used if the key is rejected' : '';
    return result('credentials', TITLE, 'ok', `the API key in ANTHROPIC_API_KEY would be used${fallback}`);
  }
  if (env.CLAUDE_CODE_OAUTH_TOKEN) {
    return result('credentials', TITLE, 'ok', 'the Claude login in CLAUDE_CODE_OAUTH_TOKEN would be used');
  }
  if (login) return result('credentials', TITLE, 'ok', 'the stored Claude login (claude auth login) would be used');
  return result(
    'credentials',
    TITLE,
    'fail',
    'no ANTHROPIC_API_KEY, no CLAUDE_CODE_OAUTH_TOKEN and no stored Claude login for this user',
    'Export ANTHROPIC_API_KEY in the environment the server runs in, or log in once as this user with `claude auth login` ' +
      '(or create a long-lived token with `claude setup-token` and export CLAUDE_CODE_OAUTH_TOKEN). ' +
      'An apiKeyHelper in Claude Code settings also works; this check cannot see it.',
  );
};
