//! Modbus request/response matching, as Wireshark's Modbus dissector does it: per TCP
//! connection every query is remembered, and a response takes the latest earlier query with
//! the same function code, transaction and unit identifiers, whose register range tells how
//! to read the response's data. The first pass stores each message's result so a re-dissected
//! frame shows the same thing.

use crate::hash::HashMap;

/// What a query tells about the response that answers it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// First register (or coil) read, and how many.
    pub reg_base: u16,
    pub num_reg: u16,
    /// (frame, timestamp) of the matched query.
    pub request: Option<(u32, i64)>,
}

#[derive(Clone, Copy)]
struct Query {
    frame: u32,
    function: u8,
    trans_id: u16,
    unit_id: u8,
    reg_base: u16,
    num_reg: u16,
    ts: i64,
}

/// One message's identity for matching: Wireshark's key (transaction and unit identifiers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MessageKey {
    pub trans_id: u16,
    pub unit_id: u8,
}

#[derive(Default)]
pub struct ModbusMatching {
    queries: HashMap<u32, Vec<Query>>,
    stored: HashMap<(u32, MessageKey), Answer>,
}

impl ModbusMatching {
    /// First pass: a query on `stream` reading `num_reg` registers from `reg_base`.
    #[allow(clippy::too_many_arguments)]
    pub fn query(&mut self, stream: u32, frame: u32, ts: i64, key: MessageKey, function: u8, reg_base: u16, num_reg: u16) -> Answer {
        let q = Query { frame, function, trans_id: key.trans_id, unit_id: key.unit_id, reg_base, num_reg, ts };
        self.queries.entry(stream).or_default().push(q);
        let a = Answer { reg_base, num_reg, request: None };
        self.stored.insert((frame, key), a);
        a
    }

    /// First pass: the query a response answers (the latest earlier one that matches).
    pub fn response(&mut self, stream: u32, frame: u32, key: MessageKey, function: u8) -> Answer {
        let found = self.queries.get(&stream).and_then(|qs| {
            qs.iter()
                .rev()
                .find(|q| q.frame < frame && q.function == function && q.trans_id == key.trans_id && q.unit_id == key.unit_id)
        });
        let a = found.map_or(Answer::default(), |q| Answer { reg_base: q.reg_base, num_reg: q.num_reg, request: Some((q.frame, q.ts)) });
        self.stored.insert((frame, key), a);
        a
    }

    /// Revisit: what the first pass found.
    pub fn stored(&self, frame: u32, key: MessageKey) -> Answer {
        self.stored.get(&(frame, key)).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_takes_the_latest_matching_query() {
        let mut m = ModbusMatching::default();
        let key = MessageKey { trans_id: 1, unit_id: 10 };
        m.query(0, 4, 100, key, 1, 0, 1);
        m.query(0, 7, 200, key, 1, 2, 2);
        let a = m.response(0, 8, key, 1);
        assert_eq!(a, Answer { reg_base: 2, num_reg: 2, request: Some((7, 200)) });
        assert_eq!(m.response(0, 9, key, 3).request, None, "another function code");
        assert_eq!(m.response(1, 9, key, 1).request, None, "another connection");
        assert_eq!(m.stored(8, key), a);
    }
}
