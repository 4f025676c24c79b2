package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat.
// It is 100 on every Linux architecture Go supports.
const clockTicks = 100

// procSample is one reading of a process's memory and CPU time.
type procSample struct {
	at   time.Time
	rss  int64         // resident set, bytes
	hwm  int64         // peak resident set, bytes
	cpu  time.Duration // user + system time
	wait time.Duration // time its threads waited for a CPU, summed over them
	ok   bool
}

// readProc reads /proc/<pid>; pid "self" reads this process.
func readProc(pid string) procSample {
	s := procSample{at: time.Now()}
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return s
	}
	// The command name is in parentheses and may contain spaces: skip past it.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return s
	}
	f := strings.Fields(string(stat[i+1:]))
	// After the name: state is field 3 of the man page, utime 14 and stime 15.
	if len(f) < 13 {
		return s
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return s
	}
	s.cpu = time.Duration(ut+st) * time.Second / clockTicks
	status, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return s
	}
	for _, line := range strings.Split(string(status), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch k {
		case "VmRSS":
			s.rss = parseKB(v)
		case "VmHWM":
			s.hwm = parseKB(v)
		}
	}
	s.wait = runqWait(pid)
	s.ok = true
	return s
}

// runqWait sums the time a process's threads have spent runnable but
// waiting for a CPU: the second field of /proc/<pid>/task/<tid>/schedstat,
// in nanoseconds. On a shared machine it tells how much of a run's latency
// is other people's work. Threads that ended are not counted.
func runqWait(pid string) time.Duration {
	tasks, err := os.ReadDir("/proc/" + pid + "/task")
	if err != nil {
		return 0
	}
	var sum int64
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/" + pid + "/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) >= 2 {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			sum += n
		}
	}
	return time.Duration(sum)
}

// waitPercent is the time a process's threads waited for a CPU between two
// samples, in percent of the time between them (summed over threads, so
// it may pass 100).
func waitPercent(a, b procSample) float64 {
	wall := b.at.Sub(a.at)
	if !a.ok || !b.ok || wall <= 0 {
		return 0
	}
	return 100 * float64(b.wait-a.wait) / float64(wall)
}

// cpuPressure reads the machine's CPU pressure stall information: the
// total time, in microseconds, in which some runnable task waited for a
// CPU (/proc/pressure/cpu, "some"); -1 where the kernel does not tell.
func cpuPressure() int64 {
	b, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(b), "\n")
	_, total, ok := strings.Cut(line, "total=")
	if !strings.HasPrefix(line, "some ") || !ok {
		return -1
	}
	n, err := strconv.ParseInt(strings.TrimSpace(total), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func parseKB(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
	return n << 10
}

// cpuPercent is the CPU a process used between two samples, in percent of
// one core (200 means both cores of a 2-core machine).
func cpuPercent(a, b procSample) float64 {
	wall := b.at.Sub(a.at)
	if !a.ok || !b.ok || wall <= 0 {
		return 0
	}
	return 100 * float64(b.cpu-a.cpu) / float64(wall)
}

// checkPID makes sure --pid names a running process before the run starts.
func checkPID(pid int) error {
	if pid <= 0 {
		return nil
	}
	if s := readProc(strconv.Itoa(pid)); !s.ok {
		return fmt.Errorf("--pid %d: cannot read /proc/%d", pid, pid)
	}
	return nil
}
