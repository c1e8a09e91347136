import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './workflowWabaMessageStatus.callback';

export class AirudderWorkflowWabaMessageStatusTrigger extends createAirudderTrigger(definition) {}
