using System.Linq.Expressions;
using System.Reflection;
using Portal.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data.Configurations;

namespace Portal.Features.Queues;

/// <summary>
/// A queue's order as a list of keys ending with the case number, which is unique: no two rows tie, so paging is
/// deterministic. The same keys give the page's ORDER BY, the exact reverse (reading the last pages from the end) and
/// the keyset seek past the last row of the previous page ("a greater first key, or the same first key and a greater
/// second one, ..."), each key in its own direction; the three cannot disagree.
/// </summary>
internal sealed class QueueKeyset
{
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    // Enums are stored as their names, which sort alphabetically ("highest risk first" put Medium before Low before
    // High): the rank columns hold their declared order.
    private static readonly Expression<Func<Case, int>> RiskRank = c => EF.Property<int>(c, CaseConfiguration.RiskRank);
    private static readonly Expression<Func<Case, int>> StatusRank = c => EF.Property<int>(c, CaseConfiguration.StatusRank);

    private readonly IReadOnlyList<Key> _keys;

    private QueueKeyset(IReadOnlyList<Key> keys) => _keys = keys;

    public static QueueKeyset For(QueueOrder order)
    {
        var d = order.Descending;
        var number = new Key<string>(c => c.Number, r => r.Number, d);
        return new QueueKeyset(order.Sort switch
        {
            QueueSort.Number => [number],
            QueueSort.Country => [new Key<string>(c => c.CountryCode, r => r.CountryCode, d), number],
            QueueSort.Status => [new Key<int>(StatusRank, r => CaseConfiguration.DeclaredPosition(r.Status), d), number],
            // The most urgent first is the one that has waited longest: within a risk level, time runs the other way.
            QueueSort.Risk => [new Key<int>(RiskRank, r => CaseConfiguration.DeclaredPosition(r.RiskLevel), d), new Key<DateTime>(c => c.OpenedAtUtc, r => r.OpenedAtUtc, !d), number with { Descending = !d }],
            QueueSort.NextDue => WithMissingLast(NextDueMissing, NextDue, r => r.NextFollowUpDueUtc, d, number),
            QueueSort.Assignee => WithMissingLast(AssigneeMissing, AssigneeName, r => r.AssigneeName, d, number),
            _ => [new Key<DateTime>(c => c.OpenedAtUtc, r => r.OpenedAtUtc, d), number],
        });
    }

    /// <summary>The cases in this order, or in its exact reverse (<paramref name="backwards"/>).</summary>
    public IQueryable<Case> Apply(IQueryable<Case> cases, bool backwards = false)
    {
        var ordered = _keys[0].OrderBy(cases, _keys[0].Descending != backwards);
        foreach (var key in _keys.Skip(1))
        {
            ordered = key.ThenBy(ordered, key.Descending != backwards);
        }

        return ordered;
    }

    /// <summary>
    /// The first <paramref name="count"/> cases after <paramref name="row"/> in this order, in it. One part per key: the
    /// keys before it the same as the row's and this one beyond, each part a range of the order's index cut at
    /// <paramref name="count"/>; then the parts merged. A single "beyond, or the same and the rest beyond" condition
    /// lets the database seek on the first key alone and walk every row that shares it (every case of one risk level) up
    /// to the row.
    /// </summary>
    public IQueryable<Case> After(IQueryable<Case> cases, QueueRow row, int count)
    {
        IQueryable<Case>? merged = null;
        for (var i = 0; i < _keys.Count; i++)
        {
            // Nothing lies beyond a missing value: the rows missing it differ only in the keys after it.
            if (!_keys[i].HasValue(row))
            {
                continue;
            }

            var c = Expression.Parameter(typeof(Case), "c");
            var predicate = _keys[i].Beyond(c, row);
            for (var j = i - 1; j >= 0; j--)
            {
                predicate = Expression.AndAlso(_keys[j].Same(c, row), predicate);
            }

            var part = Apply(cases.Where(Expression.Lambda<Func<Case, bool>>(predicate, c))).Take(count);
            merged = merged is null ? part : merged.Concat(part);
        }

        return Apply(merged!).Take(count);
    }

    /// <summary>The case's next follow-up due, as the database keeps it (<see cref="CaseSortKeys"/>).</summary>
    private static readonly Expression<Func<Case, DateTime?>> NextDue = c => EF.Property<DateTime?>(c, CaseSortKeys.NextFollowUpDue);

    private static readonly Expression<Func<Case, int>> NextDueMissing = c => EF.Property<int>(c, CaseSortKeys.NextFollowUpDueMissing);

    private static readonly Expression<Func<Case, string?>> AssigneeName = c => EF.Property<string?>(c, CaseSortKeys.AssigneeName);

    private static readonly Expression<Func<Case, int>> AssigneeMissing = c => EF.Property<int>(c, CaseSortKeys.AssigneeMissing);

    /// <summary>A key that may be missing: rows without it come last in both directions, then the case number.</summary>
    private static Key[] WithMissingLast<T>(
        Expression<Func<Case, int>> missing, Expression<Func<Case, T>> value, Func<QueueRow, T> valueOf, bool descending, Key<string> number) =>
        [new Key<int>(missing, r => valueOf(r) is null ? 1 : 0, Descending: false), new Key<T>(value, valueOf, descending), number];

    private abstract record Key(bool Descending)
    {
        public abstract IOrderedQueryable<Case> OrderBy(IQueryable<Case> cases, bool descending);

        public abstract IOrderedQueryable<Case> ThenBy(IOrderedQueryable<Case> cases, bool descending);

        public abstract bool HasValue(QueueRow row);

        /// <summary>The case's key lies strictly beyond the row's, in this key's direction.</summary>
        public abstract Expression Beyond(ParameterExpression c, QueueRow row);

        /// <summary>The case's key equals the row's, a missing value included.</summary>
        public abstract Expression Same(ParameterExpression c, QueueRow row);
    }

    private sealed record Key<T>(Expression<Func<Case, T>> Selector, Func<QueueRow, T> ValueOf, bool Descending) : Key(Descending)
    {
        public override IOrderedQueryable<Case> OrderBy(IQueryable<Case> cases, bool descending) =>
            descending ? cases.OrderByDescending(Selector) : cases.OrderBy(Selector);

        public override IOrderedQueryable<Case> ThenBy(IOrderedQueryable<Case> cases, bool descending) =>
            descending ? cases.ThenByDescending(Selector) : cases.ThenBy(Selector);

        public override bool HasValue(QueueRow row) => ValueOf(row) is not null;

        public override Expression Beyond(ParameterExpression c, QueueRow row)
        {
            var (left, right) = (On(c), Value(row));
            if (typeof(T) == typeof(string))
            {
                (left, right) = (Expression.Call(StringCompare, left, right), Expression.Constant(0));
            }

            return Descending ? Expression.LessThan(left, right) : Expression.GreaterThan(left, right);
        }

        // A missing value (no follow-up, nobody assigned) is the same as another missing one: IS NULL, not "= NULL".
        public override Expression Same(ParameterExpression c, QueueRow row) =>
            Expression.Equal(On(c), ValueOf(row) is null ? Expression.Constant(null, typeof(T)) : Value(row));

        private Expression On(ParameterExpression c) => new Rebind(Selector.Parameters[0], c).Visit(Selector.Body);

        // Read from a field of a holder object, as from a captured variable, so the database receives it as a parameter.
        private Expression Value(QueueRow row) => Expression.Field(Expression.Constant(new Holder(ValueOf(row))), nameof(Holder.Value));

        private sealed class Holder(T value)
        {
            public readonly T Value = value;
        }
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
