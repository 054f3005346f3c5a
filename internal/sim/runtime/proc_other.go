//go:build unix && !linux

package runtime

import (
	"os"
	"syscall"
)

// processAttr puts the bootstrap in its own process group, so a timeout or a shutdown can end
// everything it started with one signal.
func processAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// pendingBytes is unknown off Linux; log settling then relies on its short poll alone.
func pendingBytes(*os.File) int { return 0 }

// peakMemoryMB is unknown off Linux.
func peakMemoryMB(int) int { return 0 }
