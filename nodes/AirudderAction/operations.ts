import type { ActionOperation } from '../Airudder/actionOperation';
import { decode } from './callbackDecode.operation';

/** The AIRudder node's operations; the build also writes each one's output schema from this list. */
export const operations: ActionOperation[] = [decode];
