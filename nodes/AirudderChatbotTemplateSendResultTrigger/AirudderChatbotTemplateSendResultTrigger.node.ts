import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './chatbotTemplateSendResult.callback';

export class AirudderChatbotTemplateSendResultTrigger extends createAirudderTrigger(definition) {}
