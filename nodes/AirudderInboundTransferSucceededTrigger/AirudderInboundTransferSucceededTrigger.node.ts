import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './inboundTransferSucceeded.callback';

export class AirudderInboundTransferSucceededTrigger extends createAirudderTrigger(definition) {}
