package live

import (
	"maps"

	"github.com/poyta/poyta/session"
)

// presence counts who is connected to a table: participants online (by
// sector) and connections by role, and what changed since the last
// presence message. It belongs to the hub's goroutine.
type presence struct {
	online   map[string]int    // participant id -> open connections
	bySector map[string]int    // online participants per sector, kept as they come and go
	sectorOf map[string]string // online participant id -> the sector counted for them
	roles    map[session.Role]int
	joined   map[string]bool // participants who came online since the last message
	left     map[string]bool // and who went offline
	dirty    bool            // something to tell
}

func newPresence() presence {
	return presence{online: map[string]int{}, bySector: map[string]int{}, sectorOf: map[string]string{},
		roles: map[session.Role]int{}, joined: map[string]bool{}, left: map[string]bool{}}
}

// arrive counts a new connection of who; sector is the participant's now.
func (p *presence) arrive(who session.Who, sector string) {
	p.roles[who.Role]++
	if who.Role == session.RoleParticipant {
		if p.online[who.ID]++; p.online[who.ID] == 1 {
			p.countIn(who.ID, sector)
			p.joined[who.ID] = true
			delete(p.left, who.ID)
		}
	}
	p.dirty = true
}

// depart counts a connection of who that ended.
func (p *presence) depart(who session.Who) {
	p.roles[who.Role]--
	if who.Role == session.RoleParticipant {
		if p.online[who.ID]--; p.online[who.ID] <= 0 {
			p.countOut(who.ID)
			delete(p.online, who.ID)
			if p.joined[who.ID] {
				delete(p.joined, who.ID)
			} else {
				p.left[who.ID] = true
			}
		}
	}
	p.dirty = true
}

// resector moves an online participant to the sector they have now.
func (p *presence) resector(id, sector string) {
	if p.online[id] == 0 {
		return
	}
	p.dirty = true
	if p.sectorOf[id] != sector {
		p.countOut(id)
		p.countIn(id, sector)
	}
}

// recount counts every online participant again under their sector now,
// after a reload may have changed sectors back.
func (p *presence) recount(sectorOf func(id string) (string, bool)) {
	clear(p.bySector)
	clear(p.sectorOf)
	for id := range p.online {
		if s, ok := sectorOf(id); ok {
			p.countIn(id, s)
		}
	}
}

func (p *presence) countIn(id, sector string) {
	p.sectorOf[id] = sector
	p.bySector[sector]++
}

func (p *presence) countOut(id string) {
	sector, ok := p.sectorOf[id]
	if !ok {
		return
	}
	delete(p.sectorOf, id)
	if p.bySector[sector]--; p.bySector[sector] <= 0 {
		delete(p.bySector, sector)
	}
}

func (p *presence) counts() presenceCounts {
	return presenceCounts{Participants: len(p.online), Facilitators: p.roles[session.RoleFacilitator],
		Scribes: p.roles[session.RoleScribe], Screens: p.roles[session.RoleScreen], BySector: maps.Clone(p.bySector)}
}

// onlineList is the participants online, for a facilitator's welcome.
func (p *presence) onlineList() []string {
	out := make([]string, 0, len(p.online))
	for id := range p.online {
		out = append(out, id)
	}
	return out
}

// messages returns what to tell, if anything has changed: the counts for
// everyone, and the counts with who came and went for facilitators. It
// starts a new interval.
func (p *presence) messages() (public, facilitators presenceMsg, changed bool) {
	if !p.dirty {
		return presenceMsg{}, presenceMsg{}, false
	}
	p.dirty = false
	public = presenceMsg{Type: "presence", Counts: p.counts()}
	facilitators = public
	for id := range p.joined {
		facilitators.Online = append(facilitators.Online, id)
	}
	for id := range p.left {
		facilitators.Offline = append(facilitators.Offline, id)
	}
	clear(p.joined)
	clear(p.left)
	return public, facilitators, true
}
