import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './workflowChatbotSessionEnded.callback';

export class AirudderWorkflowChatbotSessionEndedTrigger extends createAirudderTrigger(definition) {}
