//go:build race

package session_test

// raceDetector tells long property tests to play fewer rounds: the race
// detector makes them several times slower.
const raceDetector = true
