import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './chatbotTransferRequested.callback';

export class AirudderChatbotTransferRequestedTrigger extends createAirudderTrigger(definition) {}
