import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './workflowListCompleted.callback';

export class AirudderWorkflowListCompletedTrigger extends createAirudderTrigger(definition) {}
