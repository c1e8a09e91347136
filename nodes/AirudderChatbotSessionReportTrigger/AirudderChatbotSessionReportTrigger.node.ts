import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './chatbotSessionReport.callback';

export class AirudderChatbotSessionReportTrigger extends createAirudderTrigger(definition) {}
