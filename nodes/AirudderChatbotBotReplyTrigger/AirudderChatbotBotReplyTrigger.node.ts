import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './chatbotBotReply.callback';

export class AirudderChatbotBotReplyTrigger extends createAirudderTrigger(definition) {}
