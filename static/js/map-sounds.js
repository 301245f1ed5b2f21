// The map's "Sounds" layer: verified recordings (GET /api/v1/recordings/, GeoJSON). Their
// markers are drawn like the other point layers (map-app.js); this module gives a recording's
// details in the popup or the phone's sheet: a player with its waveform (sound-player.js).
import { playerElement } from "./sound-player.js";

export const SOUNDS_COLOUR = "#c2410c";

export function soundDetails(props, labels) {
  return playerElement(props, {
    play: labels.play, pause: labels.pause, seek: labels.seek, synthesised: labels.synthesised,
    ndsi: labels.ndsi,
  });
}
