import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './workflowCustomApiPush.callback';

export class AirudderWorkflowCustomApiPushTrigger extends createAirudderTrigger(definition) {}
