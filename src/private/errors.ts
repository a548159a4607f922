/**
 * Errors thrown while a construct checks its props name the construct they belong to.
 */
import { IConstruct } from 'constructs';

/**
 * Runs `check` and, when it throws, prefixes the error's message with the construct path of
 * `scope` (`stack/Api: source.url must use https ...`), unless the message already names a
 * path inside that construct.
 */
export function checkedAt<T>(scope: IConstruct, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith(scope.node.path)) {
      e.message = `${scope.node.path}: ${e.message}`;
    }
    throw e;
  }
}
