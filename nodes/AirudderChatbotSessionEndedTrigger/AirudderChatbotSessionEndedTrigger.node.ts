import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './chatbotSessionEnded.callback';

export class AirudderChatbotSessionEndedTrigger extends createAirudderTrigger(definition) {}
