package session

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// Env is what Decide needs from the outside world, passed in so that the
// domain stays pure and its tests deterministic.
type Env struct {
	Now             time.Time
	NewID           func() string
	MaxParticipants int
}

// Event is one fact in a table's log. Data is one of the *Data types of this
// package; Type names it.
type Event struct {
	Seq   int64
	Time  time.Time
	Actor string
	Op    string // the client's op key when a command caused it
	Type  string
	Data  EventData
}

// EventData is the payload of one event type, and its whole contract. Each
// event states every part of it next to its data, in the file of its noun
// (idea.go, vote.go, hands.go…): the methods are unexported and nothing
// provides a default, so the compiler asks every new event how it changes
// the table, what each audience may see of it, and how a client folds it.
type EventData interface {
	// eventType is the event's name in the log and on the wire.
	eventType() string
	// apply changes the table. It is the only way table state changes.
	apply(t *Table, e *Event)
	// project returns the data as aud may see it: the data itself when
	// nothing in it is private from aud (so that it is encoded once),
	// otherwise a copy without the private parts. It never changes the data.
	project(aud Audience) EventData
	// selfActor is the one actor who sees the event whole (AudienceSelf):
	// the voter, the author of an anonymous idea, the scribe whose dots
	// were recorded. "" when nobody sees more than their role does.
	selfActor() string
	// fold applies the event, as projected for me and received at seq, to
	// me's view (View.Fold says the rules every fold keeps).
	fold(v *View, seq int64, me Who)
}

// Command is one request decoded from a client. Deciding it against the
// current state yields the event it causes or a refusal.
type Command interface {
	decide(t *Table, who Who, env Env) (EventData, error)
}

// Decide checks a command against the table and the caller and returns the
// event it causes. It does not change the table.
func Decide(t *Table, who Who, cmd Command, env Env) (Event, error) {
	if who.Role == RoleParticipant {
		p := t.Participants[who.ID]
		if p == nil {
			return Event{}, errf(KindForbidden, CodeUnauthorized, "unknown participant")
		}
		if p.Removed {
			return Event{}, errf(KindForbidden, CodeRemoved, "you were removed from this table")
		}
	}
	if who.Role == RoleScribe {
		if g := t.group(who.ID); g == nil || g.Removed {
			return Event{}, errf(KindForbidden, CodeRemoved, "this room group was removed")
		}
	}
	if who.Role == RoleFacilitator && who.ID != "" {
		if f := t.coFacilitator(who.ID); f == nil || f.Removed {
			return Event{}, errf(KindForbidden, CodeRemoved, "your facilitator link was removed")
		}
	}
	if _, update := cmd.(*UpdateAction); who.Role == RoleOwner && !update {
		return Event{}, errf(KindForbidden, CodeForbidden, "an update link reports on its action only")
	}
	if _, caption := cmd.(*AddCaption); who.Role == RoleInterpreter && !caption {
		return Event{}, errf(KindForbidden, CodeForbidden, "the interpreter writes live text only")
	}
	if who.Role == RoleScreen {
		return Event{}, errf(KindForbidden, CodeForbidden, "the room screen is read-only")
	}
	if _, join := cmd.(*Join); who.Role == RoleGuest && !join {
		return Event{}, errf(KindForbidden, CodeForbidden, "join the table first")
	}
	data, err := cmd.decide(t, who, env)
	if err != nil {
		return Event{}, err
	}
	return Event{Time: env.Now.UTC(), Actor: who.Actor(), Type: data.eventType(), Data: data}, nil
}

// Apply folds an event into the table. Events come from Decide or from the
// log, so they are trusted to be valid; Apply still never panics on one that
// refers to something missing.
func (t *Table) Apply(e Event) {
	if t.tokens == nil {
		t.rebuild()
	}
	e.Data.apply(t, &e)
	t.Seq = e.Seq
}

// eventTypes maps each stored event type to a constructor for its data.
var eventTypes = map[string]func() EventData{}

func registerEvent(f func() EventData) {
	eventTypes[f().eventType()] = f
}

func init() {
	for _, f := range []func() EventData{
		func() EventData { return new(TableCreated) },
		func() EventData { return new(TableEdited) },
		func() EventData { return new(TableLocked) },
		func() EventData { return new(TableClosed) },
		func() EventData { return new(ParticipantJoined) },
		func() EventData { return new(ParticipantUpdated) },
		func() EventData { return new(ParticipantRemoved) },
		func() EventData { return new(ParticipantForgotten) },
		func() EventData { return new(ItemAdded) },
		func() EventData { return new(ItemEdited) },
		func() EventData { return new(ItemMoved) },
		func() EventData { return new(ItemRemoved) },
		func() EventData { return new(ItemOpened) },
		func() EventData { return new(ItemPhased) },
		func() EventData { return new(ItemNoted) },
		func() EventData { return new(ItemVoting) },
		func() EventData { return new(ItemRevealed) },
		func() EventData { return new(TimerChanged) },
		func() EventData { return new(IdeaAdded) },
		func() EventData { return new(IdeaEdited) },
		func() EventData { return new(IdeaDeleted) },
		func() EventData { return new(IdeaHidden) },
		func() EventData { return new(IdeaMerged) },
		func() EventData { return new(IdeaApproved) },
		func() EventData { return new(VoteChanged) },
		func() EventData { return new(RoomDotsRecorded) },
		func() EventData { return new(ActionAdded) },
		func() EventData { return new(ActionEdited) },
		func() EventData { return new(ActionOwnerAdded) },
		func() EventData { return new(ActionOwnerRemoved) },
		func() EventData { return new(ActionRemoved) },
		func() EventData { return new(HandChanged) },
		func() EventData { return new(FloorGiven) },
		func() EventData { return new(QueueCleared) },
		func() EventData { return new(GroupAdded) },
		func() EventData { return new(GroupRenamed) },
		func() EventData { return new(GroupRemoved) },
		func() EventData { return new(FacilitatorAdded) },
		func() EventData { return new(CaptionAdded) },
		func() EventData { return new(IdeasImported) },
		func() EventData { return new(ActionLinked) },
		func() EventData { return new(ActionUnlinked) },
		func() EventData { return new(ActionUpdated) },
		func() EventData { return new(GroupsStarted) },
		func() EventData { return new(GroupsBroadcast) },
		func() EventData { return new(GroupsEnded) },
		func() EventData { return new(GroupMoved) },
		func() EventData { return new(ReporterSet) },
		func() EventData { return new(SummarySet) },
		func() EventData { return new(IdeaPicked) },
		func() EventData { return new(HelpCalled) },
		func() EventData { return new(VideoSet) },
		func() EventData { return new(FacilitatorRemoved) },
		func() EventData { return new(FollowUpMarked) },
	} {
		registerEvent(f)
	}
}

// DecodeEvent turns a stored event back into its typed form.
func DecodeEvent(seq int64, at time.Time, actor, typ, op string, data []byte) (Event, error) {
	f, ok := eventTypes[typ]
	if !ok {
		return Event{}, fmt.Errorf("session: decode event %d: unknown type %q", seq, typ)
	}
	d := f()
	if err := json.Unmarshal(data, d); err != nil {
		return Event{}, fmt.Errorf("session: decode event %d (%s): %w", seq, typ, err)
	}
	return Event{Seq: seq, Time: at, Actor: actor, Op: op, Type: typ, Data: d}, nil
}

// EncodeData returns the event's data as stored in the log.
func EncodeData(e Event) ([]byte, error) {
	b, err := json.Marshal(e.Data)
	if err != nil {
		return nil, fmt.Errorf("session: encode event %s: %w", e.Type, err)
	}
	return b, nil
}

// ops maps each protocol op to a constructor for its command.
var ops = map[string]func() Command{
	"table.edit":         func() Command { return new(EditTable) },
	"table.lock":         func() Command { return &LockTable{Locked: true} },
	"table.unlock":       func() Command { return &LockTable{Locked: false} },
	"table.close":        func() Command { return &CloseTable{Closed: true} },
	"table.reopen":       func() Command { return &CloseTable{Closed: false} },
	"participant.update": func() Command { return new(UpdateParticipant) },
	"participant.remove": func() Command { return new(RemoveParticipant) },
	"participant.forget": func() Command { return new(ForgetParticipant) },
	"item.add":           func() Command { return new(AddItem) },
	"item.edit":          func() Command { return new(EditItem) },
	"item.move":          func() Command { return new(MoveItem) },
	"item.remove":        func() Command { return new(RemoveItem) },
	"item.open":          func() Command { return new(OpenItem) },
	"item.phase":         func() Command { return new(SetPhase) },
	"item.notes":         func() Command { return new(SetNotes) },
	"item.voting":        func() Command { return new(SetVoting) },
	"item.reveal":        func() Command { return new(Reveal) },
	"timer.start":        func() Command { return &TimerCommand{action: "start"} },
	"timer.pause":        func() Command { return &TimerCommand{action: "pause"} },
	"timer.reset":        func() Command { return &TimerCommand{action: "reset"} },
	"idea.add":           func() Command { return new(AddIdea) },
	"idea.edit":          func() Command { return new(EditIdea) },
	"idea.delete":        func() Command { return new(DeleteIdea) },
	"idea.hide":          func() Command { return &HideIdea{Hidden: true} },
	"idea.unhide":        func() Command { return &HideIdea{Hidden: false} },
	"idea.merge":         func() Command { return new(MergeIdea) },
	"idea.approve":       func() Command { return new(ApproveIdea) },
	"vote.add":           func() Command { return &Vote{Delta: 1} },
	"vote.remove":        func() Command { return &Vote{Delta: -1} },
	"room.dots":          func() Command { return new(RecordDots) },
	"action.add":         func() Command { return new(AddAction) },
	"action.edit":        func() Command { return new(EditAction) },
	"action.assign":      func() Command { return new(AssignOwner) },
	"action.unassign":    func() Command { return new(UnassignOwner) },
	"action.volunteer":   func() Command { return new(Volunteer) },
	"action.unvolunteer": func() Command { return new(Unvolunteer) },
	"action.remove":      func() Command { return new(RemoveAction) },
	"hand.raise":         func() Command { return new(RaiseHand) },
	"hand.lower":         func() Command { return new(LowerHand) },
	"floor.give":         func() Command { return new(GiveFloor) },
	"queue.clear":        func() Command { return new(ClearQueue) },
	"group.add":          func() Command { return new(AddGroup) },
	"group.rename":       func() Command { return new(RenameGroup) },
	"group.remove":       func() Command { return new(RemoveGroup) },
	"facilitator.add":    func() Command { return new(AddFacilitator) },
	"caption.add":        func() Command { return new(AddCaption) },
	"ideas.import":       func() Command { return new(ImportIdeas) },
	"action.link":        func() Command { return new(LinkAction) },
	"action.unlink":      func() Command { return new(UnlinkAction) },
	"action.update":      func() Command { return new(UpdateAction) },
	"groups.start":       func() Command { return new(StartGroups) },
	"groups.broadcast":   func() Command { return new(BroadcastGroups) },
	"groups.end":         func() Command { return new(EndGroups) },
	"group.move":         func() Command { return new(MoveToGroup) },
	"group.reporter":     func() Command { return new(SetReporter) },
	"group.summary":      func() Command { return new(SetSummary) },
	"group.pick":         func() Command { return new(PickIdea) },
	"group.help":         func() Command { return new(CallHelp) },
	"group.video":        func() Command { return new(SetVideo) },
	"facilitator.remove": func() Command { return new(RemoveFacilitator) },
	"followup.mark":      func() Command { return new(MarkFollowUp) },
}

// EventTypes lists every event type a table's log can hold.
func EventTypes() []string {
	out := make([]string, 0, len(eventTypes))
	for typ := range eventTypes {
		out = append(out, typ)
	}
	return out
}

// Ops lists every op the protocol accepts after hello.
func Ops() []string {
	out := make([]string, 0, len(ops))
	for op := range ops {
		out = append(out, op)
	}
	return out
}

// base is the envelope every client message carries. Each command embeds it
// so that one strict decode reads the whole message.
type base struct {
	ID string `json:"id"`
	Op string `json:"op"`
}

// ParseCommand decodes one client message strictly (Decode says how):
// unknown ops, unknown fields, keys in another case, wrong types and
// trailing data are refused. It returns the client's op id (possibly
// empty) even when the command itself is refused, so the refusal can be
// matched to the request.
func ParseCommand(msg []byte) (id, op string, cmd Command, err error) {
	id, op, err = DecodeEnvelope(msg, func(op string) (any, error) {
		f, ok := ops[op]
		if !ok {
			return nil, errf(KindInvalid, CodeUnknownOp, "unknown op %q", truncate(op, 40))
		}
		cmd = f()
		return cmd, nil
	})
	if err == nil && len(id) > 64 {
		err = errf(KindInvalid, CodeInvalidValue, "id is longer than 64 bytes")
	}
	if err != nil {
		if len(id) > 64 {
			id = ""
		}
		return id, op, nil, err
	}
	return id, op, cmd, nil
}

// truncate shortens s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
