/** Root with bypassPermissions: Claude Code refuses to start, so every such task would fail. */
import { refusesRootBypass } from '../../agents/claude-code/credentials.js';
import { result, type Check } from './check.js';

const TITLE = 'Permission mode';

export const checkRootBypass: Check = async ({ config, env, uid }) => {
  const mode = config.permissionMode;
  if (refusesRootBypass(uid, mode, env)) {
    return result(
      'root_bypass',
      TITLE,
      'fail',
      'running as root with bypassPermissions (the default), which Claude Code refuses without IS_SANDBOX=1',
      'Run claude-worker as a normal user; or set CLAUDE_WORKER_PERMISSION_MODE=acceptEdits; ' +
        'or, on a disposable sandbox machine only, export IS_SANDBOX=1 (then `claude-worker server restart`).',
    );
  }
  const who = uid === 0 ? `root with IS_SANDBOX=${env.IS_SANDBOX ?? ''}` : 'not root';
  return result('root_bypass', TITLE, 'ok', `${mode}, ${mode === 'bypassPermissions' ? who : 'allowed for any user'}`);
};
