using System.Text;

namespace Portal.Benchmarks.Driver;

public enum RenderNodeKind
{
    /// <summary>Where a component's output goes (a logical container in the browser: it has no tag of its own).</summary>
    Component,
    Element,
    Text,
    /// <summary>A block of raw markup, kept as its source text.</summary>
    Markup,
}

/// <summary>One node of the driver's copy of the page, as blazor.web.js would have built it in the DOM.</summary>
public sealed class RenderNode
{
    internal RenderNode(RenderNodeKind kind, string? name = null, string? text = null, int componentId = 0)
    {
        Kind = kind;
        Name = name;
        Text = text;
        ComponentId = componentId;
    }

    public RenderNodeKind Kind { get; }

    /// <summary>The element's tag name.</summary>
    public string? Name { get; }

    /// <summary>A text node's text, or a markup block's source.</summary>
    public string? Text { get; internal set; }

    public int ComponentId { get; }

    public RenderNode? Parent { get; internal set; }

    public List<RenderNode> Children { get; } = [];

    public Dictionary<string, string?> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>Event name ("click") to the event handler id the server assigned.</summary>
    public Dictionary<string, ulong> EventHandlers { get; } = new(StringComparer.Ordinal);

    public string? Attribute(string name) => Attributes.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// Every node below this one, in document order. Walked with one explicit stack rather than nested iterators, which
    /// cost a frame per level per node: waiters search each circuit's tree on every batch, for hundreds of circuits.
    /// </summary>
    public IEnumerable<RenderNode> Descendants()
    {
        var pending = new Stack<RenderNode>();
        PushChildren(pending, this);
        while (pending.TryPop(out var node))
        {
            yield return node;
            PushChildren(pending, node);
        }
    }

    /// <summary>Pushes the children last to first, so that they pop in document order.</summary>
    internal static void PushChildren(Stack<RenderNode> pending, RenderNode node)
    {
        for (var i = node.Children.Count - 1; i >= 0; i--)
        {
            pending.Push(node.Children[i]);
        }
    }

    /// <summary>The visible text under this node (markup blocks contribute their source with tags stripped).</summary>
    public string TextContent()
    {
        var text = new StringBuilder();
        AppendText(this, text);
        return text.ToString();
    }

    public override string ToString() => Kind switch
    {
        RenderNodeKind.Element => $"<{Name} {string.Join(' ', Attributes.Select(a => $"{a.Key}=\"{a.Value}\""))}>",
        RenderNodeKind.Component => $"[component {ComponentId}]",
        _ => Text ?? string.Empty,
    };

    private static void AppendText(RenderNode node, StringBuilder text)
    {
        switch (node.Kind)
        {
            case RenderNodeKind.Text:
                text.Append(node.Text);
                break;
            case RenderNodeKind.Markup:
                text.Append(System.Text.RegularExpressions.Regex.Replace(node.Text ?? string.Empty, "<[^>]*>", string.Empty));
                break;
            default:
                foreach (var child in node.Children)
                {
                    AppendText(child, text);
                }

                break;
        }
    }
}

/// <summary>
/// The driver's copy of the rendered page: applies render batches the way BrowserRenderer.ts applies them to
/// the DOM (component containers, regions flattened into their parent, reference captures and named events
/// taking no place), so a caller can find elements, their text and their event handler ids.
/// </summary>
public sealed class RenderTree
{
    private readonly Dictionary<int, RenderNode> _components = [];
    private readonly Dictionary<ulong, RenderNode> _elementsByHandler = [];
    private readonly object _gate = new();

    /// <summary>Root components in the order the server attached them.</summary>
    public List<RenderNode> Roots { get; } = [];

    /// <summary>Lock on this while reading the tree from another thread than the connection's.</summary>
    public object SyncRoot => _gate;

    public void AttachRootComponent(int componentId)
    {
        lock (_gate)
        {
            if (!_components.ContainsKey(componentId))
            {
                var root = new RenderNode(RenderNodeKind.Component, componentId: componentId);
                _components[componentId] = root;
                Roots.Add(root);
            }
        }
    }

    public IEnumerable<RenderNode> AllNodes()
    {
        lock (_gate)
        {
            return Roots.SelectMany(r => r.Descendants()).ToList();
        }
    }

    /// <summary>
    /// The element with this data-testid, or the static markup block that contains it (Razor compiles static
    /// HTML such as <c>&lt;span data-testid="x" hidden&gt;&lt;/span&gt;</c> into one markup frame).
    /// </summary>
    public RenderNode? FindByTestId(string testId)
    {
        var inMarkup = $"data-testid=\"{testId}\"";
        lock (_gate)
        {
            var pending = new Stack<RenderNode>();
            for (var i = Roots.Count - 1; i >= 0; i--)
            {
                RenderNode.PushChildren(pending, Roots[i]);
            }

            while (pending.TryPop(out var node))
            {
                if ((node.Kind == RenderNodeKind.Element && node.Attributes.TryGetValue("data-testid", out var id) && id == testId)
                    || (node.Kind == RenderNodeKind.Markup && node.Text?.Contains(inMarkup, StringComparison.Ordinal) == true))
                {
                    return node;
                }

                RenderNode.PushChildren(pending, node);
            }

            return null;
        }
    }

    internal void Apply(RenderBatchReader batch)
    {
        lock (_gate)
        {
            foreach (var diff in batch.Diffs)
            {
                if (!_components.TryGetValue(diff.ComponentId, out var container))
                {
                    // A root the server did not announce with JS.AttachComponent: keep it rather than fail.
                    container = new RenderNode(RenderNodeKind.Component, componentId: diff.ComponentId);
                    _components[diff.ComponentId] = container;
                    Roots.Add(container);
                }

                ApplyEdits(batch, container, diff.Edits);
            }

            foreach (var id in batch.DisposedComponentIds)
            {
                _components.Remove(id);
            }

            foreach (var id in batch.DisposedEventHandlerIds)
            {
                _elementsByHandler.Remove(id);
            }
        }
    }

    private void ApplyEdits(RenderBatchReader batch, RenderNode container, IReadOnlyList<RenderEdit> edits)
    {
        var frames = batch.ReferenceFrames;
        var parent = container;
        List<(int From, int To)>? permutation = null;
        foreach (var edit in edits)
        {
            switch (edit.Type)
            {
                case EditType.PrependFrame:
                    InsertFrame(frames, parent, edit.SiblingIndex, edit.NewTreeIndex);
                    break;
                case EditType.RemoveFrame:
                    RemoveChild(parent, edit.SiblingIndex);
                    break;
                case EditType.SetAttribute:
                    ApplyAttribute(parent.Children[edit.SiblingIndex], frames[edit.NewTreeIndex]);
                    break;
                case EditType.RemoveAttribute:
                    var element = parent.Children[edit.SiblingIndex];
                    var name = edit.RemovedAttributeName ?? string.Empty;
                    element.Attributes.Remove(name);
                    if (name.StartsWith("on", StringComparison.Ordinal))
                    {
                        element.EventHandlers.Remove(name[2..]);
                    }

                    break;
                case EditType.UpdateText:
                case EditType.UpdateMarkup:
                    parent.Children[edit.SiblingIndex].Text = frames[edit.NewTreeIndex].Value;
                    break;
                case EditType.StepIn:
                    parent = parent.Children[edit.SiblingIndex];
                    break;
                case EditType.StepOut:
                    parent = parent.Parent ?? container;
                    break;
                case EditType.PermutationListEntry:
                    (permutation ??= []).Add((edit.SiblingIndex, edit.NewTreeIndex));
                    break;
                case EditType.PermutationListEnd:
                    var moved = permutation!.Select(p => (p.To, Node: parent.Children[p.From])).ToList();
                    foreach (var (to, node) in moved)
                    {
                        parent.Children[to] = node;
                    }

                    permutation = null;
                    break;
                default:
                    throw new InvalidDataException($"Unknown render edit type {edit.Type}.");
            }
        }
    }

    /// <summary>Inserts the frame and returns how many logical children it added to the parent.</summary>
    private int InsertFrame(IReadOnlyList<RenderFrame> frames, RenderNode parent, int childIndex, int frameIndex)
    {
        var frame = frames[frameIndex];
        switch (frame.Type)
        {
            case FrameType.Element:
                var element = new RenderNode(RenderNodeKind.Element, name: frame.Name);
                var end = frameIndex + frame.SubtreeLength;
                var index = frameIndex + 1;
                for (; index < end && frames[index].Type == FrameType.Attribute; index++)
                {
                    ApplyAttribute(element, frames[index]);
                }

                Insert(parent, childIndex, element);
                InsertFrameRange(frames, element, 0, index, end);
                return 1;
            case FrameType.Text:
                Insert(parent, childIndex, new RenderNode(RenderNodeKind.Text, text: frame.Value));
                return 1;
            case FrameType.Markup:
                Insert(parent, childIndex, new RenderNode(RenderNodeKind.Markup, text: frame.Value));
                return 1;
            case FrameType.Component:
                var component = new RenderNode(RenderNodeKind.Component, componentId: frame.ComponentId);
                _components[frame.ComponentId] = component;
                Insert(parent, childIndex, component);
                return 1;
            case FrameType.Region:
                return InsertFrameRange(frames, parent, childIndex, frameIndex + 1, frameIndex + frame.SubtreeLength);
            case FrameType.ElementReferenceCapture:
            case FrameType.NamedEvent:
                return 0;
            case FrameType.Attribute:
                throw new InvalidDataException("Attribute frames may only lead an element's children.");
            default:
                throw new InvalidDataException($"Unknown frame type {frame.Type}.");
        }
    }

    private int InsertFrameRange(IReadOnlyList<RenderFrame> frames, RenderNode parent, int childIndex, int start, int endExclusive)
    {
        var first = childIndex;
        for (var index = start; index < endExclusive; index++)
        {
            var frame = frames[index];
            childIndex += InsertFrame(frames, parent, childIndex, index);
            if (frame.Type is FrameType.Element or FrameType.Component or FrameType.Region)
            {
                index += frame.SubtreeLength - 1;
            }
        }

        return childIndex - first;
    }

    private void ApplyAttribute(RenderNode element, RenderFrame attribute)
    {
        var name = attribute.Name ?? string.Empty;
        if (attribute.EventHandlerId != 0)
        {
            var eventName = name.StartsWith("on", StringComparison.Ordinal) ? name[2..] : name;
            element.EventHandlers[eventName] = attribute.EventHandlerId;
            _elementsByHandler[attribute.EventHandlerId] = element;
        }
        else
        {
            element.Attributes[name] = attribute.Value;
        }
    }

    private static void Insert(RenderNode parent, int index, RenderNode child)
    {
        child.Parent = parent;
        parent.Children.Insert(Math.Min(index, parent.Children.Count), child);
    }

    private static void RemoveChild(RenderNode parent, int index)
    {
        var child = parent.Children[index];
        child.Parent = null;
        parent.Children.RemoveAt(index);
    }
}
