// Pages with recordings (village, attraction, events): players with waveforms.
import { enhanceAll } from "./sound-player.js";

enhanceAll();
