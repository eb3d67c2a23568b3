/// selectors.yml definitions turned into `SelectionExpression`s
/// (https://docs.getdbt.com/reference/node-selection/yaml-selectors).
///
/// A definition is a CLI string (`"tag:nightly+"`), a `{method, value, parents, children,
/// parents_depth, children_depth, childrens_parents, indirect_selection}` mapping, the short
/// form `{tag: nightly}`, or `{union: […]}` / `{intersection: […]}`, where an `{exclude: […]}`
/// element removes its selection from the group.
enum YAMLSelectors {
    static func parse(_ selectors: ConfigObject) throws -> [String: SelectionExpression] {
        var out: [String: SelectionExpression] = [:]
        for (name, entry) in selectors {
            guard let def = entry["definition"] else {
                throw ProjectError(.invalidSelector, "selector '\(name)' has no `definition`", location: SourceLocation(file: "selectors.yml"))
            }
            out[name] = try definition(def, selector: name)
        }
        return out
    }

    /// The selector marked `default: true`, if any.
    static func defaultSelector(_ selectors: ConfigObject) -> String? {
        selectors.entries.first { $0.value["default"]?.asBool == true }?.key
    }

    static func definition(_ v: ConfigValue, selector: String) throws -> SelectionExpression {
        let loc = SourceLocation(file: "selectors.yml")
        switch v {
        case .string(let s):
            guard let e = try SelectionExpression.parseCLI([s]) else {
                throw ProjectError(.invalidSelector, "selector '\(selector)' has an empty definition", location: loc)
            }
            return e
        case .dict(let d):
            if let u = d["union"] { return try group(u, selector: selector, combine: SelectionExpression.union) }
            if let i = d["intersection"] { return try group(i, selector: selector, combine: SelectionExpression.intersection) }
            if let m = d["method"]?.asString {
                let value = d["value"]?.pythonStr ?? ""
                var c = try SelectionCriterion.parse(m + ":" + value)
                c.parents = d["parents"]?.asBool ?? false
                c.parentsDepth = d["parents_depth"]?.asInt
                if c.parentsDepth != nil { c.parents = true }
                c.children = d["children"]?.asBool ?? false
                c.childrenDepth = d["children_depth"]?.asInt
                if c.childrenDepth != nil { c.children = true }
                c.childrensParents = d["childrens_parents"]?.asBool ?? false
                if let ind = d["indirect_selection"]?.asString {
                    guard let mode = SelectionCriterion.IndirectSelection(rawValue: ind) else {
                        throw ProjectError(.invalidSelector, "unknown indirect_selection '\(ind)' in selector '\(selector)'", location: loc)
                    }
                    c.indirectSelection = mode
                }
                var expr = SelectionExpression.criterion(c)
                if let exc = d["exclude"] {
                    expr = .difference(expr, try group(exc, selector: selector, combine: SelectionExpression.union))
                }
                return expr
            }
            if d.count == 1, let (k, val) = d.entries.first, SelectionCriterion.Method(rawValue: k.split(separator: ".").first.map(String.init) ?? k) != nil {
                return .criterion(try SelectionCriterion.parse(k + ":" + val.pythonStr))
            }
            throw ProjectError(.invalidSelector, "selector '\(selector)': cannot read definition \(v.pythonRepr)", location: loc,
                               hint: "use `method:`/`value:`, `union:`, `intersection:` or a CLI string")
        default:
            throw ProjectError(.invalidSelector, "selector '\(selector)': cannot read definition \(v.pythonRepr)", location: loc)
        }
    }

    static func group(_ v: ConfigValue, selector: String,
                      combine: ([SelectionExpression]) -> SelectionExpression) throws -> SelectionExpression {
        guard let items = v.asArray else {
            throw ProjectError(.invalidSelector, "selector '\(selector)': `union`/`intersection`/`exclude` take a list",
                               location: SourceLocation(file: "selectors.yml"))
        }
        var included: [SelectionExpression] = []
        var excluded: [SelectionExpression] = []
        for item in items {
            if let exc = item["exclude"] {
                excluded.append(try group(exc, selector: selector, combine: SelectionExpression.union))
            } else {
                included.append(try definition(item, selector: selector))
            }
        }
        var expr = combine(included)
        if !excluded.isEmpty { expr = .difference(expr, .union(excluded)) }
        return expr
    }
}
