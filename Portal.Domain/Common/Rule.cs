using System.Linq.Expressions;

namespace Portal.Domain.Common;

/// <summary>
/// A rule about one kind of record, written once as an expression. Queries filter with <see cref="Expression"/> (the
/// database evaluates it) and code checks one record in memory with <see cref="IsMetBy"/> (the same expression, compiled
/// once), so a list and a flag on a page cannot disagree.
/// </summary>
public sealed class Rule<T>
{
    private readonly Func<T, bool> _compiled;

    public Rule(Expression<Func<T, bool>> definition)
    {
        Expression = definition;
        _compiled = definition.Compile();
    }

    /// <summary>For a query: <c>db.Set&lt;T&gt;().Where(rule.Expression)</c>.</summary>
    public Expression<Func<T, bool>> Expression { get; }

    public bool IsMetBy(T item) => _compiled(item);
}

/// <summary>A rule that needs a value known only when it is applied: the moment, or a cut-off derived from it.</summary>
public sealed class Rule<T, TArgument>
{
    private readonly Expression<Func<T, TArgument, bool>> _definition;
    private readonly Func<T, TArgument, bool> _compiled;

    public Rule(Expression<Func<T, TArgument, bool>> definition)
    {
        _definition = definition;
        _compiled = definition.Compile();
    }

    /// <summary>
    /// For a query. The argument is read from a field of a holder object, as from a captured variable, so a query
    /// provider sends it as a parameter rather than writing it into the query text.
    /// </summary>
    public Expression<Func<T, bool>> For(TArgument argument)
    {
        var value = System.Linq.Expressions.Expression.Field(System.Linq.Expressions.Expression.Constant(new Holder(argument)), nameof(Holder.Value));
        var body = new Substitute(_definition.Parameters[1], value).Visit(_definition.Body);
        return System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(body, _definition.Parameters[0]);
    }

    public bool IsMetBy(T item, TArgument argument) => _compiled(item, argument);

    private sealed class Holder(TArgument value)
    {
        public readonly TArgument Value = value;
    }

    private sealed class Substitute(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
    }
}

public static class RuleExpressions
{
    /// <summary>Either condition, as one expression over the same record (for composing rules in a query).</summary>
    public static Expression<Func<T, bool>> Or<T>(this Expression<Func<T, bool>> left, Expression<Func<T, bool>> right)
    {
        var parameter = left.Parameters[0];
        var rightBody = new Rename(right.Parameters[0], parameter).Visit(right.Body);
        return Expression.Lambda<Func<T, bool>>(Expression.OrElse(left.Body, rightBody), parameter);
    }

    private sealed class Rename(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
