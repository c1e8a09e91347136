import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './chatbotUserMessageAfterTransfer.callback';

export class AirudderChatbotUserMessageAfterTransferTrigger extends createAirudderTrigger(definition) {}
