import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './inboundCallSuccess.callback';

export class AirudderInboundCallSuccessTrigger extends createAirudderTrigger(definition) {}
