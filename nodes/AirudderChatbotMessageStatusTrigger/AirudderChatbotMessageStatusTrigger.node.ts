import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './chatbotMessageStatus.callback';

export class AirudderChatbotMessageStatusTrigger extends createAirudderTrigger(definition) {}
