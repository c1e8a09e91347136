import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './chatbotTemplateUserResponse.callback';

export class AirudderChatbotTemplateUserResponseTrigger extends createAirudderTrigger(definition) {}
