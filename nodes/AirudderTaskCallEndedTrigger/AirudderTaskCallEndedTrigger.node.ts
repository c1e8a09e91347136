import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './taskCallEnded.callback';

export class AirudderTaskCallEndedTrigger extends createAirudderTrigger(definition) {}
