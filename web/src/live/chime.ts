// A short two-tone chime made with WebAudio: no audio file to ship, and nothing
// to block. Browsers only let a page make sound after the user interacted with
// it, so the AudioContext is created on the first click or key press; before
// that, playChime() is silently a no-op (no autoplay error in the console).

let audio: AudioContext | null = null;
let armed = false;

const SOUND_KEY = 'callsnare.alertSound';

export function chimeEnabled(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setChimeEnabled(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    // Private mode without storage: the choice lasts until reload.
  }
}

/** Call once at start-up: the first user gesture unlocks sound for the rest of the visit. */
export function armChimeOnFirstGesture(): void {
  if (armed || typeof window === 'undefined' || typeof window.AudioContext === 'undefined') return;
  armed = true;
  const unlock = () => {
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
    try {
      audio ??= new AudioContext();
      void audio.resume().catch(() => {});
    } catch {
      audio = null;
    }
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
}

/** Plays the chime if sound is unlocked and on; returns whether it played. */
export function playChime(): boolean {
  if (!audio || audio.state !== 'running' || !chimeEnabled()) return false;
  const start = audio.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.16, 1175],
  ] as const) {
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    volume.gain.setValueAtTime(0.0001, start + offset);
    volume.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    volume.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.28);
    tone.connect(volume).connect(audio.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 0.3);
  }
  return true;
}
