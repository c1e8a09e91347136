import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './workflowCallCompleted.callback';

export class AirudderWorkflowCallCompletedTrigger extends createAirudderTrigger(definition) {}
