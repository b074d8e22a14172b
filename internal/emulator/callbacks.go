package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Callback event names.
const (
	// EventRunning is sent on every status change (to 1, 2 or 3).
	EventRunning = "LivePullToPushRunning"
	// EventExit is sent when a task exits (EndTime passed or deleted).
	EventExit = "LivePullToPushExit"
)

// CallbackPayload is the JSON body POSTed to a task's CallbackUrl.
type CallbackPayload struct {
	Event             string    `json:"Event"`
	EventTime         string    `json:"EventTime"` // Unix seconds, as a JSON string
	TaskId            string    `json:"TaskId"`
	TaskStatus        int32     `json:"TaskStatus"`
	TaskInfo          *TaskInfo `json:"TaskInfo,omitempty"`
	TaskInvalidReason string    `json:"TaskInvalidReason,omitempty"`
	TaskExitReason    string    `json:"TaskExitReason,omitempty"`
	TaskExitTime      int64     `json:"TaskExitTime,omitempty"`
}

// callbackTimeout bounds one delivery; closeWait bounds Close.
const (
	callbackTimeout = 5 * time.Second
	closeWait       = 2 * time.Second
)

// event is a lifecycle change that produces a callback.
type event struct {
	url     string
	payload CallbackPayload
}

// dispatcher delivers callbacks asynchronously, in order per task.
type dispatcher struct {
	mu      sync.Mutex
	queues  map[string][]event
	closed  bool
	pending int
	idle    *sync.Cond
	ctx     context.Context
	cancel  context.CancelFunc
	client  *http.Client
	logger  *slog.Logger
	deliver func(ctx context.Context, e event) // for tests of the dispatcher itself
}

func newDispatcher(logger *slog.Logger, rt http.RoundTripper) *dispatcher {
	ctx, cancel := context.WithCancel(context.Background())
	d := &dispatcher{
		queues: map[string][]event{},
		ctx:    ctx,
		cancel: cancel,
		client: &http.Client{Timeout: callbackTimeout, Transport: rt},
		logger: logger,
	}
	d.idle = sync.NewCond(&d.mu)
	d.deliver = d.post
	return d
}

// enqueue never blocks on the network.
func (d *dispatcher) enqueue(key string, e event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	q, running := d.queues[key]
	d.queues[key] = append(q, e)
	d.pending++
	if !running {
		go d.drain(key)
	}
}

func (d *dispatcher) drain(key string) {
	for {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
			return
		}
		e := q[0]
		d.queues[key] = q[1:]
		d.mu.Unlock()
		d.deliver(d.ctx, e)
		d.mu.Lock()
		d.pending--
		if d.pending == 0 {
			d.idle.Broadcast()
		}
		d.mu.Unlock()
	}
}

func (d *dispatcher) post(ctx context.Context, e event) {
	body, err := json.Marshal(e.payload)
	if err != nil {
		d.logger.Error("callback encode failed", "task_id", e.payload.TaskId, "error", err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		d.logger.Warn("callback failed", "task_id", e.payload.TaskId, "event", e.payload.Event, "error", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "alilive-emulator")
	resp, err := d.client.Do(req)
	if err != nil {
		d.logger.Warn("callback failed", "task_id", e.payload.TaskId, "event", e.payload.Event, "error", err)
		return
	}
	_ = resp.Body.Close()
	if resp.StatusCode >= 300 {
		d.logger.Warn("callback rejected", "task_id", e.payload.TaskId, "event", e.payload.Event, "status", resp.StatusCode)
		return
	}
	d.logger.Debug("callback delivered", "task_id", e.payload.TaskId, "event", e.payload.Event, "status", resp.StatusCode)
}

// close stops accepting callbacks and waits up to closeWait for those in
// flight; after that it cancels them.
func (d *dispatcher) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { d.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(closeWait):
		d.cancel()
		<-done
	}
	d.cancel()
}

// wait blocks until every queued callback has been attempted (tests).
func (d *dispatcher) wait() {
	d.mu.Lock()
	for d.pending > 0 {
		d.idle.Wait()
	}
	d.mu.Unlock()
}
