import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './workflowStatusChanged.callback';

export class AirudderWorkflowStatusChangedTrigger extends createAirudderTrigger(definition) {}
