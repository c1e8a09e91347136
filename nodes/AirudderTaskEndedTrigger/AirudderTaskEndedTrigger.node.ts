import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './taskEnded.callback';

export class AirudderTaskEndedTrigger extends createAirudderTrigger(definition) {}
