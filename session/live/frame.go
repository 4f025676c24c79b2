package live

import (
	"time"

	"github.com/gorilla/websocket"
)

// frame is one entry of a client's queue: what one flush of the hub sends
// it. A frame that a whole audience gets is shared: its bytes exist once,
// with the websocket header already in front (PreparedMessage), however
// many clients it goes to.
type frame struct {
	shared *sharedFrame
	parts  [][]byte // otherwise: messages, or runs of messages, joined by "\n" on the wire
	size   int      // bytes, against Config.MaxQueueBytes
}

// sharedFrame is a frame of "\n"-separated messages for many clients. It is
// never modified once made.
type sharedFrame struct {
	data []byte
	pm   *websocket.PreparedMessage
}

func newSharedFrame(data []byte) *sharedFrame {
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, data)
	if err != nil {
		// Only a compression failure can get here, and we compress nothing.
		pm = nil
	}
	return &sharedFrame{data: data, pm: pm}
}

func sharedOf(s *sharedFrame) frame { return frame{shared: s, size: len(s.data) + 1} }

func partsFrame(parts ...[]byte) frame {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	return frame{parts: parts, size: n}
}

// push queues a frame unless the queue is over its limits: too many
// frames, or too many bytes (one frame alone may exceed the byte limit, so
// that a big snapshot still gets through). False means the client is too
// slow. push never blocks.
func (c *client) push(f frame, maxFrames, maxBytes int) bool {
	c.qmu.Lock()
	if len(c.queue) >= maxFrames || (c.qbytes > 0 && c.qbytes+f.size > maxBytes) {
		c.qmu.Unlock()
		return false
	}
	c.queue = append(c.queue, f)
	c.qbytes += f.size
	c.qmu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	return true
}

// take empties the queue and returns what was in it. The queue swaps
// between two slices, so that a steady stream of frames allocates nothing.
func (c *client) take() []frame {
	c.qmu.Lock()
	q := c.queue
	c.queue, c.spare = c.spare, nil
	c.qmu.Unlock()
	return q
}

// written gives back what take returned, once it is on the wire.
func (c *client) written(q []frame) {
	n := 0
	for i := range q {
		n += q[i].size
		q[i] = frame{} // let the bytes go
	}
	c.qmu.Lock()
	c.qbytes -= n
	if c.spare == nil && cap(q) <= 64 {
		c.spare = q[:0]
	}
	c.qmu.Unlock()
}

// queued reports the frames waiting to be written.
func (c *client) queued() int {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return len(c.queue)
}

// writeQueued writes everything queued as one websocket message: a shared
// frame alone goes out prepared, in one write; several frames are joined.
func (c *client) writeQueued() error {
	q := c.take()
	if len(q) == 0 {
		return nil
	}
	defer c.written(q)
	if !c.lease.Load().valid() {
		// Not a byte after the table may have passed to another node; the
		// client resumes there and is answered again.
		c.close(closeGoingAway, "table moved")
		return nil
	}
	c.conn.SetWriteDeadline(time.Now().Add(c.srv.cfg.WriteTimeout))
	if len(q) == 1 && q[0].shared != nil && q[0].shared.pm != nil {
		return c.conn.WritePreparedMessage(q[0].shared.pm)
	}
	w, err := c.conn.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	first := true
	put := func(p []byte) {
		if !first {
			w.Write(newline)
		}
		first = false
		w.Write(p)
	}
	for _, f := range q {
		if f.shared != nil {
			put(f.shared.data)
			continue
		}
		for _, p := range f.parts {
			put(p)
		}
	}
	return w.Close()
}
