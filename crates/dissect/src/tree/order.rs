//! The order of a tree's nodes as shown: depth first, each node's children in the order they
//! were added. Nodes are stored in the order they were added, which differs when an item is
//! added late under an early layer (a trailer's expert, after the layers above it).

use super::{Tree, NO_NODE};

impl Tree {
    /// How nodes `a` and `b` compare in the tree as shown (depth first, each node's children in
    /// the order they were added), which is tshark's order of a field's occurrences: an item
    /// added late under an early layer (a trailer's expert) still comes before the layers after.
    pub fn tree_order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let parent = |n: u32| self.nodes[n as usize].parent;
        let depth = |mut n: u32| {
            let mut d = 0;
            while n != NO_NODE {
                n = parent(n);
                d += 1;
            }
            d
        };
        let (mut x, mut y) = (a, b);
        let (mut dx, mut dy) = (depth(a), depth(b));
        while dx > dy {
            x = parent(x);
            dx -= 1;
        }
        while dy > dx {
            y = parent(y);
            dy -= 1;
        }
        if x == y {
            // One is the other's ancestor (or the same node): the ancestor comes first.
            return depth(a).cmp(&depth(b));
        }
        while parent(x) != parent(y) {
            x = parent(x);
            y = parent(y);
        }
        x.cmp(&y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{FieldDef, FieldType};
    use crate::tree::Value;
    use std::cmp::Ordering;

    static P: FieldDef = FieldDef::protocol("P", "p");
    static F: FieldDef = FieldDef::new("F", "f", FieldType::Uint8);

    #[test]
    fn nodes_compare_depth_first_in_order_of_siblings() {
        let mut t = Tree::new(true);
        let eth = t.add(NO_NODE, &P, 0, 1, Value::None);
        let ip = t.add(NO_NODE, &P, 1, 1, Value::None);
        let ip_f = t.add(ip, &F, 1, 1, Value::Uint(1));
        let eth_late = t.add(eth, &F, 0, 1, Value::Uint(2));
        let eth_late_kid = t.add(eth_late, &F, 0, 1, Value::Uint(3));
        let mut all = vec![ip_f, eth_late_kid, ip, eth_late, eth];
        all.sort_by(|&a, &b| t.tree_order(a, b));
        assert_eq!(all, vec![eth, eth_late, eth_late_kid, ip, ip_f]);
        assert_eq!(t.tree_order(ip, ip), Ordering::Equal);
        assert_eq!(t.tree_order(eth_late_kid, eth), Ordering::Greater);
    }
}
