import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './inboundCallEnded.callback';

export class AirudderInboundCallEndedTrigger extends createAirudderTrigger(definition) {}
