package kinesis

import "sync"

// Throughput is the per-shard capacity that, when Config.Throughput is set, answers
// ProvisionedThroughputExceededException beyond it. AWS's figures (CreateStream and GetRecords
// references): writes up to 1,000 records and 1 MiB per second; reads up to five GetRecords calls
// and 2 MiB per second, and a call that returned more than a second's worth blocks the next
// calls until the shard has "paid back" (10 MiB: five seconds). Windows are whole seconds of the
// Clock. A record larger than a second's write budget is still taken into an otherwise empty
// window, as AWS's large records burst.
type Throughput struct {
	WriteRecordsPerSecond int
	WriteBytesPerSecond   int
	ReadCallsPerSecond    int
	ReadBytesPerSecond    int
}

// DefaultThroughput is AWS's per-shard throughput.
func DefaultThroughput() *Throughput {
	return &Throughput{WriteRecordsPerSecond: 1000, WriteBytesPerSecond: 1 << 20, ReadCallsPerSecond: 5, ReadBytesPerSecond: 2 << 20}
}

type throttle struct {
	limits *Throughput
	mu     sync.Mutex
	shards map[throttleKey]*shardUse
}

type throttleKey struct {
	incarnation uint64
	index       int
}

type shardUse struct {
	writeSecond          int64
	writeRecords, writeB int
	readSecond           int64
	readCalls            int
	readBlockedUntilMS   int64
	readB                int
}

func newThrottle(limits *Throughput) *throttle {
	return &throttle{limits: limits, shards: map[throttleKey]*shardUse{}}
}

func (t *throttle) use(incarnation uint64, index int) *shardUse {
	k := throttleKey{incarnation, index}
	u := t.shards[k]
	if u == nil {
		u = &shardUse{writeSecond: -1, readSecond: -1}
		t.shards[k] = u
	}
	return u
}

// allowWrite takes one record of size bytes from the shard's write budget, if there is room.
func (t *throttle) allowWrite(incarnation uint64, index, size int, nowMS int64) bool {
	if t.limits == nil {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.use(incarnation, index)
	if sec := nowMS / 1000; sec != u.writeSecond {
		u.writeSecond, u.writeRecords, u.writeB = sec, 0, 0
	}
	if u.writeRecords+1 > t.limits.WriteRecordsPerSecond {
		return false
	}
	if u.writeB > 0 && u.writeB+size > t.limits.WriteBytesPerSecond {
		return false
	}
	u.writeRecords++
	u.writeB += size
	return true
}

// allowReadCall counts a GetRecords call against the shard's budget.
func (t *throttle) allowReadCall(incarnation uint64, index int, nowMS int64) bool {
	if t.limits == nil {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.use(incarnation, index)
	if nowMS < u.readBlockedUntilMS {
		return false
	}
	if sec := nowMS / 1000; sec != u.readSecond {
		u.readSecond, u.readCalls, u.readB = sec, 0, 0
	}
	if u.readCalls+1 > t.limits.ReadCallsPerSecond {
		return false
	}
	u.readCalls++
	return true
}

// readBytes charges what a GetRecords call returned; more than the per-second budget blocks the
// shard's reads for as many seconds as it takes to pay it back.
func (t *throttle) readBytes(incarnation uint64, index, size int, nowMS int64) {
	if t.limits == nil || size == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.use(incarnation, index)
	u.readB += size
	if over := u.readB - t.limits.ReadBytesPerSecond; over > 0 {
		perSec := t.limits.ReadBytesPerSecond
		seconds := int64((u.readB + perSec - 1) / perSec)
		u.readBlockedUntilMS = u.readSecond*1000 + seconds*1000
	}
}
